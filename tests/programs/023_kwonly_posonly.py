# Positional-only (/) and keyword-only (*) parameters
def f(a, b, /, c, d=4, *, e, f=6):
    return (a, b, c, d, e, f)
print(f(1, 2, 3, e=5))
print(f(1, 2, c=3, e=5))
print(f(1, 2, 3, 40, e=50, f=60))
try:
    f(a=1, b=2, c=3, e=5)
except TypeError as e:
    print("TypeError:", e)
try:
    f(1, 2, 3, 4, 5)
except TypeError as e:
    print("TypeError:", e)
try:
    f(1, 2, 3)
except TypeError as e:
    print("TypeError:", e)
def pos_only(x, y=10, /):
    return x + y
print(pos_only(1), pos_only(1, 2))
def kw_collide(a, /, **kw):
    return a, kw
print(kw_collide(1, a=2))
def only_kw(*, x, y):
    return x - y
print(only_kw(x=10, y=3), only_kw(y=3, x=10))
try:
    only_kw(1, 2)
except TypeError as e:
    print("TypeError:", e)
try:
    only_kw(x=1)
except TypeError as e:
    print("TypeError:", e)
def star_kw(*args, sep="-", end="."):
    return sep.join(str(a) for a in args) + end
print(star_kw(1, 2, 3), star_kw(1, 2, sep="+"), star_kw(end="!"))
def defaults_kwonly(a, *, b=[], c={}):
    b.append(a)
    c[a] = len(b)
    return b, c
print(defaults_kwonly(1))
print(defaults_kwonly(2))
print(defaults_kwonly(3, b=[]))
print(f.__defaults__, f.__kwdefaults__)
print(f.__code__.co_argcount, f.__code__.co_posonlyargcount, f.__code__.co_kwonlyargcount)
lam = lambda p, /, q, *, r: (p, q, r)
print(lam(1, 2, r=3), lam(1, q=2, r=3))
class K:
    def method(self, a, /, *, b):
        return a * b
print(K().method(3, b=4))
