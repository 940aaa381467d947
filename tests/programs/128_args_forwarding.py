# Forwarding *args/**kwargs through wrappers and partial application
def target(a, b, c=3, *rest, d=4, **kw):
    return "a=%r b=%r c=%r rest=%r d=%r kw=%r" % (a, b, c, rest, d, sorted(kw.items()))
def fwd(*args, **kwargs):
    return target(*args, **kwargs)
def fwd2(*args, **kwargs):
    return fwd(*args, **kwargs)
print(fwd2(1, 2))
print(fwd2(1, 2, 5, 6, 7, d=8, e=9))
print(fwd2(b=1, a=2))
print(fwd2(*range(6), **{"x": 1, "d": 0}))
def partial(fn, *pargs, **pkw):
    def call(*args, **kw):
        merged = dict(pkw)
        merged.update(kw)
        return fn(*pargs, *args, **merged)
    return call
p = partial(target, 10, d="D")
print(p(20), p(20, 30, 40), p(b=5), p(20, d="override", z=1))
add3 = partial(lambda a, b, c: a + b + c, 1, 2)
print(add3(3), add3(c=10))
def modify_args(fn):
    def wrapper(*args, **kwargs):
        args = tuple(a * 2 if isinstance(a, int) else a for a in args)
        kwargs = {k: v.upper() if isinstance(v, str) else v for k, v in kwargs.items()}
        return fn(*args, **kwargs)
    return wrapper
@modify_args
def show(*a, **k):
    return a, sorted(k.items())
print(show(1, "x", 3, name="bob", n=2))
def apply_all(fns, *args, **kwargs):
    return [f(*args, **kwargs) for f in fns]
print(apply_all([max, min, lambda *a, **k: len(a)], 3, 1, 2))
def collect(first, *others, sep=", "):
    return sep.join(map(str, (first,) + others))
args = [1, 2, 3]
opts = {"sep": " | "}
print(collect(*args), collect(*args, **opts), collect("only"), collect(*"xyz", sep=""))
class Base:
    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
class Child(Base):
    def __init__(self, name, *args, **kwargs):
        self.name = name
        super().__init__(*args, **kwargs)
c = Child("n", 1, 2, flag=True)
print(c.name, c.args, c.kwargs)
def count_args(*a, **k):
    return len(a), len(k)
print(count_args(*[], **{}), count_args(*[[]], **{"": 1}), count_args(*"ab", *(1,), **{"x": 1}, y=2))
