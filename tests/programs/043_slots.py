# __slots__: restricted attributes, inheritance, no __dict__
class P:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __repr__(self):
        return "P(%r, %r)" % (self.x, self.y)
p = P(1, 2)
print(p, p.x, p.y)
p.x = 10
print(p)
try:
    p.z = 3
except AttributeError as e:
    print("AttributeError:", e)
print(hasattr(p, "__dict__"), P.__slots__)
del p.y
try:
    print(p.y)
except AttributeError as e:
    print("AttributeError:", e)
p.y = 5
print(p)
class P3(P):
    __slots__ = ("z",)
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z
q = P3(1, 2, 3)
print(q.x, q.y, q.z, hasattr(q, "__dict__"))
class Loose(P):
    pass
lo = Loose(7, 8)
lo.extra = "ok"
print(lo.extra, hasattr(lo, "__dict__"), lo)
class WithDict:
    __slots__ = ("a", "__dict__")
w = WithDict()
w.a = 1
w.b = 2
print(w.a, w.b, w.__dict__)
class Single:
    __slots__ = "only"
s = Single()
s.only = "one"
print(s.only)
try:
    s.other = 1
except AttributeError as e:
    print("AttributeError:", e)
class Vec:
    __slots__ = ["x", "y"]
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)
    def norm2(self):
        return self.x * self.x + self.y * self.y
acc = Vec(0, 0)
for i in range(5):
    acc = acc + Vec(i, -i)
print(acc.x, acc.y, acc.norm2())
print(type(P.__dict__["x"]).__name__)
