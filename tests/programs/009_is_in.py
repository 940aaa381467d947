# IS_OP and CONTAINS_OP
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a is not c, a == c)
print(None is None, None is not None)
x = None
print(x is None, x is not None)
print(True is True, False is not True)
print(type(1) is int, type("s") is str, type([]) is not list)
print(1 in [1, 2, 3], 4 in [1, 2, 3], 4 not in [1, 2, 3])
print("b" in "abc", "bc" in "abc", "cb" in "abc")
print(1 in (1, 2), 2 in {2: "x"}, "x" in {2: "x"}, 3 in {1, 2, 3})
print(5 in range(10), 10 in range(10), 4 in range(0, 10, 2), 5 in range(0, 10, 2))
print((1, 2) in [(1, 2)], [1] in [[1]], 1.0 in [1], True in [1])
class Box:
    def __init__(self, items):
        self.items = items
    def __contains__(self, item):
        print("contains called with", item)
        return item in self.items
box = Box([10, 20])
print(10 in box, 30 in box, 30 not in box)
class Seq:
    def __iter__(self):
        return iter([7, 8, 9])
print(8 in Seq(), 1 in Seq())
class GI:
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError(i)
        return i * 11
print(22 in GI(), 33 in GI())
d = {"k": 1, "j": 2}
print("k" in d, "k" in d.keys(), 1 in d.values(), ("k", 1) in d.items())
nan = float("nan")
lst = [nan]
print(nan in lst, float("nan") in lst)
e = ()
print(e == (), "" == "", [] is not [])
