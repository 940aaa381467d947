# yield from: delegation, return values, send/throw forwarding
def inner():
    x = yield 1
    print("  inner got", x)
    y = yield 2
    print("  inner got", y)
    return "inner-result"
def outer():
    r = yield from inner()
    print("  outer got result", r)
    yield 3
    return "outer-result"
g = outer()
print(next(g))
print(g.send("a"))
print(g.send("b"))
try:
    g.send("c")
except StopIteration as e:
    print("final", e.value)
def chain(*iterables):
    for it in iterables:
        yield from it
print(list(chain([1, 2], "ab", range(3), (x * x for x in range(3)))))
def flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from flatten(item)
        else:
            yield item
print(list(flatten([1, [2, [3, [4, 5]], 6], [[7]], 8])))
def catcher():
    try:
        yield "ready"
    except ValueError as e:
        yield "caught %s" % e
    yield "end"
def delegator():
    yield from catcher()
d = delegator()
print(next(d))
print(d.throw(ValueError("v")))
print(next(d))
def closer():
    try:
        yield 1
        yield 2
    finally:
        print("  closer finally")
def deleg2():
    yield from closer()
d = deleg2()
print(next(d))
d.close()
def tree(n):
    if n == 0:
        return 1
    a = yield from tree(n - 1)
    yield n
    b = yield from tree(n - 1)
    return a + b
t = tree(3)
vals = []
try:
    while True:
        vals.append(next(t))
except StopIteration as e:
    print(vals, "leaves:", e.value)
def gen_range():
    result = yield from range(3)
    yield ("range result", result)
print(list(gen_range()))
