# __repr__ and __str__, how print/str/repr/format/containers use them
class Both:
    def __repr__(self):
        return "Both()"
    def __str__(self):
        return "both-str"
class ReprOnly:
    def __repr__(self):
        return "ReprOnly<%d>" % 7
class StrOnly:
    def __str__(self):
        return "str-only"
b, r = Both(), ReprOnly()
print(b, r)
print(str(b), repr(b), str(r), repr(r))
print([b, r], (b,), {"k": b})
print("%s %r" % (b, b), "{} {!r}".format(b, b), f"{b} {b!r}")
print(str(StrOnly()), [StrOnly()][0].__str__())
class Fmt:
    def __format__(self, spec):
        return "Fmt(" + spec + ")"
    def __repr__(self):
        return "FmtRepr"
print(format(Fmt(), "xyz"), f"{Fmt():>10}", "{:abc}".format(Fmt()), f"{Fmt()!r}")
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return "%s(x=%r, y=%r)" % (type(self).__name__, self.x, self.y)
class Point3(Point):
    pass
print(Point(1, "a"), Point3(2.5, None), [Point(0, [1])])
print(repr("s"), repr(1.0), repr([1, "2"]), repr((1,)), repr({1: "x"}), repr(None))
print(str(1.5), str([1.5]), str("s"), str(b"bytes"), repr(b"b\x00\xff"))
class Recursive:
    def __init__(self):
        self.items = [self]
    def __repr__(self):
        return "Rec"
rl = [1]
rl.append(rl)
print(rl)
rd = {}
rd["self"] = rd
print(rd)
class BadRepr:
    def __repr__(self):
        return 5
try:
    repr(BadRepr())
except TypeError as e:
    print("TypeError:", e)
print(repr(True), str(False), repr(-0.0), repr(1e100), repr(2 ** 70))
print(ascii("naïve"), repr("tab\t"), str("tab\t|"))
