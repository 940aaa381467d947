# LOAD_ATTR / STORE_ATTR / DELETE_ATTR on instances, classes, functions
class Point:
    dims = 2
    def __init__(self, x, y):
        self.x = x
        self.y = y
p = Point(1, 2)
print(p.x, p.y, p.dims, Point.dims)
p.x = 10
p.z = 30
print(p.x, p.z, sorted(p.__dict__.items()))
del p.z
print(hasattr(p, "z"), sorted(p.__dict__))
p.dims = 3
print(p.dims, Point.dims)
del p.dims
print(p.dims)
Point.dims = 4
print(p.dims, Point(0, 0).dims)
Point.new_attr = "added"
print(p.new_attr)
try:
    del p.nonexistent
except AttributeError as e:
    print("AttributeError:", e)
try:
    print(p.missing)
except AttributeError as e:
    print("AttributeError:", e)
def func():
    return 1
func.tag = "tagged"
func.count = 0
func.count += 1
func.count += 1
print(func.tag, func.count, func.__name__)
class Chain:
    pass
c = Chain()
c.a = Chain()
c.a.b = Chain()
c.a.b.c = "deep"
print(c.a.b.c)
c.a.b.c += "er"
print(c.a.b.c)
class Counter:
    def __init__(self):
        self.n = 0
    def inc(self):
        self.n += 1
        return self
ctr = Counter()
ctr.inc().inc().inc()
print(ctr.n)
m = ctr.inc
m()
print(ctr.n, m.__self__ is ctr, m.__func__ is Counter.inc)
print((1).real, (3 + 4j).imag, "abc".upper.__name__, [].append.__name__)
