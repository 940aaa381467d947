# __bool__, __len__ fallback for truth, __call__
class Flag:
    def __init__(self, v):
        self.v = v
    def __bool__(self):
        print("  __bool__", self.v)
        return self.v
print(bool(Flag(True)), bool(Flag(False)))
if Flag(True):
    print("truthy branch")
if not Flag(False):
    print("falsy branch")
print(Flag(False) or "fallback")
print(Flag(True) and "second")
x = Flag(True)
while x:
    x = Flag(False)
class Sized:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
print(bool(Sized(0)), bool(Sized(3)), "yes" if Sized(2) else "no")
class Neither:
    pass
print(bool(Neither()))
class BadBool:
    def __bool__(self):
        return 1
try:
    bool(BadBool())
except TypeError as e:
    print("TypeError:", e)
class Adder:
    def __init__(self, base):
        self.base = base
        self.calls = 0
    def __call__(self, x, *rest, scale=1):
        self.calls += 1
        return (self.base + x + sum(rest)) * scale
add10 = Adder(10)
print(add10(1), add10(1, 2, 3), add10(5, scale=3), add10.calls)
print(callable(add10), callable(Adder), callable(Flag(True)), callable(len))
print(list(map(add10, [1, 2, 3])))
class Memo:
    def __init__(self, fn):
        self.fn = fn
        self.cache = {}
    def __call__(self, n):
        if n not in self.cache:
            self.cache[n] = self.fn(n)
        return self.cache[n]
@Memo
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), len(fib.cache))
class Chain:
    def __call__(self):
        return self
c = Chain()
print(c()()() is c)
print([v for v in [0, 1, "", "a", [], [0], None, Sized(1), Sized(0)] if v].__len__())
