# Conditional expressions, boolean operators, comparisons, displays, calls.
def sign(x):
    return "neg" if x < 0 else "zero" if x == 0 else "pos"
def pick(a, b, c):
    x = a or b and c
    y = a < b < c
    z = not (a == b or b != c)
    return x, y, z
def calls(*args, **kw):
    return args, sorted(kw.items())
lst = [1, 2]
d = {"a": 1}
print(sign(-2), sign(0), sign(3), pick(0, 2, 3), pick(1, 0, 0))
print(calls(*lst), calls(0, *lst, 3, *lst), calls(**d), calls(x=1, **d), calls(*lst, y=2, **d))
print([*lst, 3, *lst], (*lst,), {*lst, 5}, {**d, "b": 2, **{"c": 3}}, {"z": 0, **d})
print([i * j for i in range(3) for j in range(i) if j], {k: v for k, v in d.items()}, sum(x for x in lst))
print(f"{lst!r:>10}|{d['a']:03d}|{3.14159:.{2}f}")
g = lambda a, *r, k=3, **kw: (a, r, k, kw)
print(g(1, 2, k=4, z=5))
def deco(fn):
    def wrapper(*a, **k):
        return ("wrapped", fn(*a, **k))
    return wrapper
@deco
def add(a, b=10):
    return a + b
print(add(1), add(1, b=2))
class Base:
    def hello(self):
        return "base"
class Child(Base):
    def hello(self):
        return "child+" + super().hello()
print(Child().hello())
a = 1
print(a in [1] in [[1]], a in [1, 2], 3 not in {3, 4}, a < 2 in [True])
def local_defs():
    def inner():
        return "inner"
    @deco
    def decorated():
        return inner()
    class Local(Base):
        pass
    return decorated(), Local().hello(), Local.__qualname__
print(local_defs())
assert sign(1) == "pos", "never"
assert sign(1) == "neg", "assert message"
