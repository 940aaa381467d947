# Closures: nested functions capturing and updating variables with nonlocal.
N = 1100000


def make_counter(start, step):
    count = start

    def inc():
        nonlocal count
        count += step
        return count

    def get():
        return count

    return inc, get


def make_accumulator():
    total = 0
    history = []

    def add(x):
        nonlocal total
        total += x
        if x % 100 == 0:
            history.append(total)
        return total

    def summary():
        return total, len(history)

    return add, summary


def compose(f, g):
    def h(x):
        return f(g(x))
    return h


def make_adders(k):
    return [(lambda x, i=i: x + i) for i in range(k)]


def memo(fn):
    cache = {}
    hits = 0

    def wrapper(n):
        nonlocal hits
        if n in cache:
            hits += 1
            return cache[n]
        r = fn(n)
        cache[n] = r
        return r

    def stats():
        return hits, len(cache)

    wrapper.stats = stats
    return wrapper


def outer(n):
    a = 0

    def mid():
        b = 1

        def inner(x):
            nonlocal a, b
            a += x
            b = (b * 3 + a) % 1000003
            return b
        return inner

    f = mid()
    r = 0
    for i in range(n):
        r ^= f(i)
    return a, r


def main(n):
    inc, get = make_counter(0, 3)
    add, summary = make_accumulator()
    for i in range(n):
        inc()
        add(i % 1000)
    double = compose(lambda x: x * 2, lambda x: x + 1)
    chain = double
    for _ in range(5):
        chain = compose(chain, double)
    s = 0
    for i in range(n // 10):
        s += chain(i) % 1009
    adders = make_adders(10)
    t = 0
    for i in range(n // 10):
        for f in adders:
            t = f(t) % 100003

    @memo
    def sq(x):
        return x * x

    m = 0
    for i in range(n):
        m += sq(i % 500)
    print("counter %d acc %r s %d t %d" % (get(), summary(), s, t))
    print("memo %d stats %r outer %r" % (m, sq.stats(), outer(n)))


main(N)
