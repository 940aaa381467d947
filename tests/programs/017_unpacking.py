# UNPACK_SEQUENCE for tuples, lists, strings, iterators, nested targets
a, b = 1, 2
print(a, b)
a, b = b, a
print(a, b)
x, y, z = [10, 20, 30]
print(x, y, z)
p, q = "pq"
print(p, q)
(m, n), o = (1, 2), 3
print(m, n, o)
[i, [j, k]] = [4, [5, 6]]
print(i, j, k)
for idx, (key, val) in enumerate([("a", 1), ("b", 2)]):
    print(idx, key, val)
r1, r2, r3 = range(3)
print(r1, r2, r3)
g1, g2 = (v * v for v in (3, 4))
print(g1, g2)
d1, d2 = {"first": 1, "second": 2}
print(d1, d2)
try:
    a, b = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)
try:
    a, b, c = [1, 2]
except ValueError as e:
    print("ValueError:", e)
try:
    a, b = 5
except TypeError as e:
    print("TypeError:", e)
def pair():
    return "left", "right"
l, r = pair()
print(l, r)
lst = [0, 0, 0]
lst[0], lst[1], lst[2] = 7, 8, 9
print(lst)
class O:
    pass
o = O()
o.a, o.b = "A", "B"
print(o.a, o.b)
a = b = c = [1]
print(a is b is c)
x, y = y, x = 1, 2
print(x, y)
points = [(1, 2), (3, 4), (5, 6)]
sx = sy = 0
for px, py in points:
    sx += px
    sy += py
print(sx, sy)
(((deep,),),) = (((42,),),)
print(deep)
fib_a, fib_b = 0, 1
for _ in range(15):
    fib_a, fib_b = fib_b, fib_a + fib_b
print(fib_a, fib_b)
