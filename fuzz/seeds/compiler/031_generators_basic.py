# Generator functions: YIELD_VALUE, state retention, return value, StopIteration
def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1
print(list(count_up(5)))
g = count_up(3)
print(next(g), next(g), next(g))
try:
    next(g)
except StopIteration:
    print("StopIteration")
def with_return():
    yield 1
    yield 2
    return "done"
g = with_return()
print(next(g), next(g))
try:
    next(g)
except StopIteration as e:
    print("returned", e.value, e.args)
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(15)])
def evens(limit):
    for n in range(limit):
        if n % 2 == 0:
            yield n
print(list(evens(15)), sum(evens(100)))
def trace_gen():
    print("  start")
    yield "a"
    print("  between")
    yield "b"
    print("  end")
for v in trace_gen():
    print("got", v)
def gen_in_try():
    try:
        yield 1
        yield 2
    finally:
        print("  gen finally")
for v in gen_in_try():
    print("v", v)
def take(n, it):
    out = []
    for v in it:
        if len(out) >= n:
            break
        out.append(v)
    return out
print(take(5, fib()))
def chars(s):
    for c in s:
        yield c
        yield c.upper()
print("".join(chars("abc")))
g = count_up(2)
print(iter(g) is g, list(g), list(g))
def empty():
    return
    yield
print(list(empty()))
def gen_locals(x):
    y = x * 2
    yield y
    y += 1
    yield y
print(list(gen_locals(5)))
