# del statement: names, list items, slices, dict keys, attributes, multiple targets
a = 1
b = [1, 2, 3, 4, 5, 6]
c = {"x": 1, "y": 2, "z": 3}
class O:
    pass
o = O()
o.attr = "value"
o.other = "other"
del a
print("a" in globals())
del b[0]
print(b)
del b[-1], b[0]
print(b)
del b[::2]
print(b)
del c["x"]
print(c)
del o.attr
print(hasattr(o, "attr"), o.other)
x, y, z = 1, 2, 3
del x, y
print("x" in globals(), "y" in globals(), z)
m = [[1, 2], [3, 4]]
del m[0][1], m[1]
print(m)
d = {"k": {"inner": [1, 2, 3]}}
del d["k"]["inner"][1]
print(d)
def f():
    local = "here"
    del local
    try:
        return local
    except UnboundLocalError as e:
        return "UnboundLocalError: " + str(e)
print(f())
try:
    del undefined_global_name
except NameError as e:
    print("NameError:", e)
try:
    del c["missing"]
except KeyError as e:
    print("KeyError:", e)
try:
    del b[100]
except IndexError as e:
    print("IndexError:", e)
(p, q) = (1, 2)
del (p, q)
print("p" in globals())
[r, s] = [3, 4]
del [r, s]
print("r" in globals())
lst = list(range(10))
for i in sorted([1, 3, 5], reverse=True):
    del lst[i]
print(lst)
class Slots:
    __slots__ = ("v",)
s2 = Slots()
s2.v = 1
del s2.v
print(hasattr(s2, "v"))
def g():
    n = 5
    def inner():
        return n
    del n
    try:
        return inner()
    except NameError as e:
        return "NameError: " + str(e)
print(g())
