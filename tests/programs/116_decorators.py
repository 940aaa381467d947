# Function decorators: simple, stacked, with arguments, preserving attributes manually
def trace(fn):
    def wrapper(*args, **kwargs):
        print("  call", fn.__name__, args, sorted(kwargs.items()))
        result = fn(*args, **kwargs)
        print("  ret ", fn.__name__, result)
        return result
    wrapper.__name__ = fn.__name__
    wrapper.wrapped = fn
    return wrapper
@trace
def add(a, b=0):
    return a + b
print(add(2, 3), add(5, b=1), add.__name__, add.wrapped(1, 1))
def repeat(times):
    def deco(fn):
        def wrapper(*a):
            return [fn(*a) for _ in range(times)]
        return wrapper
    return deco
@repeat(3)
def hello(name):
    return "hi " + name
print(hello("bob"))
def bold(fn):
    return lambda: "<b>" + fn() + "</b>"
def italic(fn):
    return lambda: "<i>" + fn() + "</i>"
@bold
@italic
def text():
    return "decorated"
print(text())
registry = {}
def register(name):
    def deco(fn):
        registry[name] = fn
        return fn
    return deco
@register("double")
def d(x):
    return 2 * x
@register("square")
def s(x):
    return x * x
print(sorted(registry), [registry[k](7) for k in sorted(registry)], d(4))
def count_calls(fn):
    def wrapper(*a, **k):
        wrapper.calls += 1
        return fn(*a, **k)
    wrapper.calls = 0
    return wrapper
@count_calls
def noop():
    pass
for _ in range(4):
    noop()
print(noop.calls)
def memoize(fn):
    cache = {}
    def wrapper(n):
        if n not in cache:
            cache[n] = fn(n)
        return cache[n]
    wrapper.cache = cache
    return wrapper
@memoize
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(90), len(fib.cache))
