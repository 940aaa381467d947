# __eq__ / __hash__ interplay: dict keys, set membership, unhashable
class Key:
    def __init__(self, a, b):
        self.a, self.b = a, b
    def __eq__(self, o):
        return isinstance(o, Key) and (self.a, self.b) == (o.a, o.b)
    def __hash__(self):
        return hash((self.a, self.b))
    def __repr__(self):
        return "Key(%r, %r)" % (self.a, self.b)
d = {Key(1, 2): "first"}
print(d[Key(1, 2)], Key(1, 2) in d, Key(2, 1) in d)
d[Key(1, 2)] = "replaced"
print(len(d), d)
s = {Key(0, 0), Key(0, 0), Key(1, 1)}
print(len(s), Key(1, 1) in s)
print(hash(Key(1, 2)) == hash((1, 2)))
class EqOnly:
    def __eq__(self, o):
        return True
print(EqOnly.__hash__ is None)
try:
    {EqOnly(): 1}
except TypeError as e:
    print("TypeError:", e)
try:
    hash([1, 2])
except TypeError as e:
    print("TypeError:", e)
try:
    {[1]: 2}
except TypeError as e:
    print("TypeError:", e)
class ConstHash:
    def __init__(self, v):
        self.v = v
    def __hash__(self):
        return 7
    def __eq__(self, o):
        print("  eq called", self.v, o.v)
        return self.v == o.v
c = {ConstHash(1): "one"}
c[ConstHash(2)] = "two"
print(len(c), c[ConstHash(2)])
class Default:
    pass
x = Default()
dd = {x: "obj"}
print(dd[x], hash(x) == hash(x), x == x, x == Default())
print(hash(1) == hash(1.0) == hash(True), {1: "a", 1.0: "b", True: "c"})
print(hash(()) == hash(()), hash((1, 2)) == hash((1, 2)), hash("ab") == hash("a" + "b"))
print(frozenset([1, 2]) in {frozenset([2, 1]): 0})
class Inherit(Key):
    pass
print(Inherit(1, 2) == Key(1, 2), {Inherit(1, 2): 1}.get(Key(1, 2)))
class OverrideEq(Key):
    def __eq__(self, o):
        return False
print(OverrideEq.__hash__ is None)
