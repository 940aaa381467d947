# Default arguments: evaluation time, mutable defaults, None sentinel
calls = []
def side(v):
    calls.append(v)
    return v
def f(a, b=side(1), c=side(2)):
    return a, b, c
print(calls)
print(f(0), f(0, 9), f(0, c=8), calls)
def append_to(x, lst=[]):
    lst.append(x)
    return lst
print(append_to(1), append_to(2), append_to(3, []), append_to(4))
def safe_append(x, lst=None):
    if lst is None:
        lst = []
    lst.append(x)
    return lst
print(safe_append(1), safe_append(2))
k = 10
def capture(v=k):
    return v
k = 20
print(capture(), k)
funcs = []
for i in range(3):
    def g(i=i):
        return i * 10
    funcs.append(g)
print([fn() for fn in funcs])
lams = [lambda x, n=n: x ** n for n in range(4)]
print([l(2) for l in lams])
def many(a, b=2, *args, c=3, d, **kw):
    return a, b, args, c, d, sorted(kw.items())
print(many(1, d=4))
print(many(1, 5, 6, 7, d=8, e=9))
print(many.__defaults__, many.__kwdefaults__)
def counter(start=0, step=1, limit=5):
    out = []
    v = start
    while v < limit:
        out.append(v)
        v += step
    return out
print(counter(), counter(2), counter(step=2), counter(limit=3, start=-3))
def default_expr(x=2 ** 10, y=[i * i for i in range(3)], z=(lambda: "lam")()):
    return x, y, z
print(default_expr())
