# Generators driven by for loops: pipelines, exceptions and StopIteration
# inside, yield from, a generator resumed by next() and a loop in turn,
# a generator running itself, and a traceback through one.
def naturals(n):
    i = 0
    while i < n:
        yield i
        i += 1
def evens(it):
    for x in it:
        if x % 2 == 0:
            yield x
def boom(n):
    for i in range(n):
        yield i
    raise ValueError("boom %d" % n)
def stopper():
    yield 1
    raise StopIteration
def sub():
    x = yield 1
    print("sub got", x)
    yield 2
    return "sub done"
def outer():
    r = yield from sub()
    print("outer got", r)
    yield 3
print(sum(evens(naturals(100))))
for x in naturals(3):
    for y in naturals(2):
        print(x, y, end="; ")
print()
try:
    for v in boom(3):
        print(v)
except ValueError as e:
    print("caught", e)
try:
    for v in stopper():
        print(v)
except RuntimeError as e:
    print("RuntimeError", e)
for v in outer():
    print("v", v)
g = naturals(5)
print(next(g))
for v in g:
    print("rest", v)
    if v == 2:
        break
print(list(g))
def selfref():
    yield next(gg)
gg = selfref()
try:
    for v in gg:
        pass
except ValueError as e:
    print("ValueError", e)
def deep(n):
    if n:
        yield from deep(n - 1)
    yield n
print(sum(deep(50)))
def forever():
    n = 0
    while True:
        yield n
        n += 1
for v in forever():
    if v > 5:
        break
print(v, [x * 2 for x in naturals(4)], max(naturals(7)))
def tb():
    yield 1
    1 / 0
for v in tb():
    pass
