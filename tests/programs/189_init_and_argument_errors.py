# Instances made by __init__ (returning None, returning a value, raising,
# recursing) and the argument errors CPython 3.9 words with the code's name.
class P:
    def __init__(self, x, y=2):
        self.x = x
        self.y = y
class Q(P):
    pass
class R:
    def __init__(self, v):
        if v:
            return
        self.v = v
class Bad:
    def __init__(self):
        return 5
class S:
    def __init__(self, a):
        raise ValueError(a)
p = P(1); q = Q(3, 4); print(p.x, p.y, q.x, q.y, type(q).__name__)
print(R(1).__dict__, R(0).v)
try:
    Bad()
except TypeError as e:
    print("TypeError", e)
try:
    S("boom")
except ValueError as e:
    print("ValueError", e)
try:
    P()
except TypeError as e:
    print("TypeError", e)
def deep(n):
    return deep(n + 1) if n < 10000 else 0
class D:
    def __init__(self, n):
        self.n = D(n + 1)
try:
    D(0)
except RecursionError as e:
    print("RecursionError", e)
xs = [P(i) for i in range(5)]
print(sum(o.x for o in xs))


class M:
    def m(self, x):
        pass

    def k(self, *, a):
        pass


def plain(a):
    pass


for g in (lambda: M().m(1, 2), lambda: M().m(y=1), lambda: M().m(1, x=2),
          lambda: M().k(), lambda: M().m(), lambda: plain(), lambda: M.m()):
    try:
        g()
    except TypeError as e:
        print(e)
