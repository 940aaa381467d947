# id(): only compared, never printed; identity of objects and small values
a = [1, 2]
b = a
c = [1, 2]
print(id(a) == id(b), id(a) == id(c), id(a) != id(c))
x = object()
print(id(x) == id(x), isinstance(id(x), int))
def same(o):
    return o
print(id(same(a)) == id(a))
l = [a, a, c]
print(id(l[0]) == id(l[1]), id(l[1]) == id(l[2]))
class K:
    pass
k1 = K()
k2 = K()
ids = {id(k1), id(k2), id(k1)}
print(len(ids))
d = {}
d[id(k1)] = "k1"
d[id(k2)] = "k2"
print(d[id(k1)], d[id(k2)], len(d))
print(id(None) == id(None), id(True) == id(True), id(K) == id(type(k1)))
s = "interned"
t = s
print(id(s) == id(t))
tup = (a, c)
print(id(tup[0]) == id(a), id(tup[1]) == id(c))
def f():
    pass
g = f
print(id(f) == id(g), f is g)
m1 = k1.__class__
print(id(m1) == id(K))
lst = []
for i in range(3):
    lst.append(a)
print(all(id(item) == id(a) for item in lst))
copy = list(a)
print(id(copy) == id(a), copy == a, copy is a)
