# __lt__/__le__/__eq__/__ne__/__gt__/__ge__, reflection, sorting with them
class Version:
    def __init__(self, s):
        self.parts = tuple(int(p) for p in s.split("."))
        self.s = s
    def __eq__(self, o):
        print("  eq", self.s, o.s)
        return self.parts == o.parts
    def __lt__(self, o):
        return self.parts < o.parts
    def __le__(self, o):
        return self.parts <= o.parts
    def __gt__(self, o):
        return self.parts > o.parts
    def __ge__(self, o):
        return self.parts >= o.parts
    def __repr__(self):
        return "V" + self.s
    __hash__ = None
a, b, c = Version("1.2"), Version("1.10"), Version("1.2.0")
print(a < b, a <= b, a > b, a >= b)
print(a == b, a != b)
print(a == c, a < c)
vs = [Version(s) for s in ["2.0", "1.0.1", "1.10", "1.2", "0.9"]]
print(sorted(vs))
print(max(vs), min(vs))
class OnlyLt:
    def __init__(self, v):
        self.v = v
    def __lt__(self, o):
        print("  OnlyLt.__lt__", self.v, o.v)
        return self.v < o.v
x, y = OnlyLt(1), OnlyLt(2)
print(x < y)
print(y > x)
class Weird:
    def __eq__(self, o):
        return "truthy-string"
    def __ne__(self, o):
        return 0
w = Weird()
print(w == 1, w != 1, 1 == w)
class NoEq:
    pass
n1 = NoEq()
n2 = n1
print(n1 == n2, n1 == NoEq(), n1 != NoEq())
try:
    NoEq() < NoEq()
except TypeError as e:
    print("TypeError:", e)
class Always:
    def __eq__(self, o):
        return True
print(Always() == 5, 5 == Always(), Always() in [1, 2], [Always()] == [3])
class Approx:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return NotImplemented
print(Approx(1) == Approx(1), Approx(1) != Approx(1))
print(1 < Version("1.0").parts[0] + 1 < 3)
