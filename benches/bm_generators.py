# Generators: pipelines of generators, yield from, generator expressions, send.
N = 500000


def naturals(n):
    i = 0
    while i < n:
        yield i
        i += 1


def evens(it):
    for x in it:
        if x % 2 == 0:
            yield x


def squares(it):
    for x in it:
        yield x * x


def take_mod(it, m):
    for x in it:
        yield x % m


def chunks(it, size):
    buf = []
    for x in it:
        buf.append(x)
        if len(buf) == size:
            yield buf
            buf = []
    if buf:
        yield buf


def flatten(tree):
    if isinstance(tree, list):
        for sub in tree:
            yield from flatten(sub)
    else:
        yield tree


def build_tree(depth, start):
    if depth == 0:
        return start
    return [build_tree(depth - 1, start * 3 + k) for k in range(3)]


def delegating(n):
    total = yield from naturals(n)
    yield -1
    yield from (x * 2 for x in range(n // 2))


def running_avg():
    total = 0
    count = 0
    avg = None
    while True:
        x = yield avg
        total += x
        count += 1
        avg = total // count


def fib_gen():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def main(n):
    s = sum(take_mod(squares(evens(naturals(n * 4))), 1000))
    c = 0
    for ch in chunks(naturals(n), 7):
        c += len(ch) * ch[0]
    tree = build_tree(8, 1)
    f = 0
    for _ in range(max(1, n // 6000)):
        f += sum(flatten(tree))
    d = sum(delegating(n))
    ra = running_avg()
    next(ra)
    last = 0
    for i in range(n):
        last = ra.send(i * 3 % 101)
    g = 0
    for i, x in enumerate(fib_gen()):
        if i >= 300:
            break
        g ^= x
    ge = sum(x for x in range(n) if x % 3) + len([y for y in (x * 2 for x in range(n)) if y % 5 == 0])
    print("pipeline %d chunks %d flatten %d delegating %d" % (s, c, f, d))
    print("avg %d fib %d genexpr %d" % (last, g % 1000000007, ge))


main(N)
