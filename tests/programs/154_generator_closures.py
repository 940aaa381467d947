# Generators that close over variables, generators created in loops, generator attributes
def make_gens():
    gens = []
    for i in range(3):
        def g(i=i):
            for j in range(i + 1):
                yield i * 10 + j
        gens.append(g())
    return gens
print([list(g) for g in make_gens()])
def counter_gen():
    count = 0
    def inc():
        nonlocal count
        count += 1
    def gen():
        while count < 5:
            yield count
            inc()
    return gen(), inc
g, inc = counter_gen()
print(next(g), next(g))
inc()
print(next(g), list(g))
def multiplier_gens(factors):
    return [(x * f for x in range(4)) for f in factors]
print([list(g) for g in multiplier_gens([1, 2, 3])])
late = [(x * f for x in range(3)) for f in [10]]
print([list(g) for g in late])
def gen_fn():
    yield 1
gobj = gen_fn()
print(gobj.__name__, gobj.__qualname__, type(gobj).__name__)
print(gobj.gi_running, gobj.gi_frame is not None)
list(gobj)
print(gobj.gi_frame is None)
def self_aware():
    me = yield "first"
    yield "got %s" % me
sa = self_aware()
print(next(sa), sa.send("msg"))
def fib_limit(limit):
    a, b = 0, 1
    def step():
        nonlocal a, b
        a, b = b, a + b
    while a < limit:
        yield a
        step()
print(list(fib_limit(200)))
def outer():
    data = []
    def producer():
        for i in range(3):
            data.append(i)
            yield len(data)
    return producer(), data
prod, data = outer()
print(next(prod), data, list(prod), data)
def gen_with_default(seq, transform=lambda v: v * v):
    for s in seq:
        yield transform(s)
print(list(gen_with_default([1, 2, 3])), list(gen_with_default("ab", str.upper)))
