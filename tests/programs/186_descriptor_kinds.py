# The descriptor objects CPython puts in type dicts: member, getset, mappingproxy, frames
class A:
    __slots__ = ("v",)
a = A()
for op in (lambda: a.v, lambda: delattr(a, "v")):
    try:
        op()
    except AttributeError as e:
        print("AttributeError:", e)
a.v = 3
print(a.v, A.v, type(A.v).__name__, hasattr(a, "__dict__"))
try:
    vars(a)
except TypeError as e:
    print("TypeError:", e)
try:
    class B:
        __slots__ = ("x",)
        x = 1
except ValueError as e:
    print("ValueError:", e)
class S(A):
    pass
s = S()
s.v, s.w = 1, 2
print(s.__dict__, s.v)
print(int.real, float.imag, type(int.numerator).__name__, True.real, (3.5).real)
d = A.__dict__
print(type(d).__name__, "v" in d, sorted(k for k in d if not k.startswith("__")), type(d.copy()).__name__)
try:
    d["b"] = 2
except TypeError as e:
    print("TypeError:", e)
def g():
    yield 1
    yield 2
x = g()
print(x.gi_frame.f_lasti, x.gi_frame.f_lineno, x.gi_code.co_name, type(x.gi_frame).__name__)
next(x)
print(x.gi_frame.f_lasti, x.gi_frame.f_lineno, x.gi_frame.f_code.co_name)
list(x)
print(x.gi_frame)
nan = float("nan")
print(nan is nan, nan in [nan], float("nan") in [nan], [nan] == [nan])
