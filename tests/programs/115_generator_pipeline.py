# Generator pipelines: chained lazy stages
def numbers(n):
    for i in range(n):
        print("  produce", i)
        yield i
def evens(src):
    for x in src:
        if x % 2 == 0:
            yield x
def squared(src):
    for x in src:
        yield x * x
def take(n, src):
    for i, x in enumerate(src):
        if i >= n:
            return
        yield x
pipeline = take(3, squared(evens(numbers(100))))
print(list(pipeline))
def read_lines():
    data = "alpha 3\nbeta 5\n# comment\n\ngamma 7\ndelta x\nepsilon 11"
    for line in data.split("\n"):
        yield line
def non_blank(lines):
    return (l for l in lines if l.strip() and not l.startswith("#"))
def parse(lines):
    for l in lines:
        name, val = l.split()
        try:
            yield name, int(val)
        except ValueError:
            print("  skip bad value", repr(val))
def running_total(pairs):
    total = 0
    for name, v in pairs:
        total += v
        yield name, v, total
for row in running_total(parse(non_blank(read_lines()))):
    print(row)
def window(src, size):
    buf = []
    for x in src:
        buf.append(x)
        if len(buf) > size:
            buf.pop(0)
        if len(buf) == size:
            yield tuple(buf)
print(list(window(range(7), 3)))
def moving_avg(src, size):
    for w in window(src, size):
        yield sum(w) / size
print(list(moving_avg([1, 2, 3, 4, 10, 20], 2)))
def primes():
    found = []
    n = 2
    while True:
        if all(n % p for p in found):
            found.append(n)
            yield n
        n += 1
print(list(take(15, primes())))
def interleave(*gens):
    gens = [iter(g) for g in gens]
    while gens:
        for g in list(gens):
            try:
                yield next(g)
            except StopIteration:
                gens.remove(g)
print(list(interleave("abc", range(5), ["X"])))
