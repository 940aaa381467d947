# with statement: __enter__/__exit__, nested, as-targets, exit ordering
class CM:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None, exc)
        return False
with CM("a") as v:
    print("body", v)
with CM("outer") as o, CM("inner") as i:
    print("both", o, i)
with CM("x"):
    with CM("y") as y:
        print("nested", y)
try:
    with CM("err"):
        raise ValueError("inside")
except ValueError as e:
    print("caught", e)
def early():
    with CM("ret"):
        return "returned value"
print(early())
for n in range(3):
    with CM("loop%d" % n):
        if n == 1:
            continue
        if n == 2:
            break
        print("loop body", n)
class Resource:
    def __init__(self):
        self.open = False
    def __enter__(self):
        self.open = True
        return self
    def __exit__(self, *args):
        self.open = False
r = Resource()
with r as res:
    print(res is r, r.open)
print(r.open)
with CM("tuple") as (a):
    print(a)
class Pair:
    def __enter__(self):
        return (1, 2)
    def __exit__(self, *a):
        print("pair exit", a)
with Pair() as (p, q):
    print(p, q)
class ExitReturns:
    def __enter__(self):
        return self
    def __exit__(self, t, v, tb):
        print("exit sees", t.__name__ if t else None)
        return None
try:
    with ExitReturns():
        1 / 0
except ZeroDivisionError:
    print("ZeroDivisionError propagated")
