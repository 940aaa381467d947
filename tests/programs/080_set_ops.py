# Set operations with small ints; results printed sorted
a = {1, 2, 3, 4, 5}
b = {4, 5, 6, 7}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(b - a), sorted(a ^ b))
print(sorted(a.union(b, {10})), sorted(a.intersection(b, {5})), sorted(a.difference(b, {1})))
print(sorted(a.symmetric_difference(b)), a.isdisjoint({8, 9}), a.isdisjoint(b))
print({1, 2} <= a, {1, 2} < a, a <= a, a < a, a >= {1}, a > a, {1, 9}.issubset(a), a.issuperset({2, 3}))
s = set()
for i in range(10):
    s.add(i % 4)
print(sorted(s), len(s))
s.discard(2)
s.discard(99)
s.remove(0)
print(sorted(s))
try:
    s.remove(99)
except KeyError as e:
    print("KeyError:", e)
c = set(a)
c |= {100}
c &= {1, 2, 100}
print(sorted(c))
c ^= {2, 3}
c -= {1}
print(sorted(c))
c.update([7, 8], (9,))
c.intersection_update({3, 7, 8, 9, 100})
print(sorted(c))
c.difference_update({7})
c.symmetric_difference_update({8, 11})
print(sorted(c))
p = {5}
print(p.pop(), p, len(p))
try:
    p.pop()
except KeyError as e:
    print("KeyError:", repr(e))
f = frozenset([3, 1, 2])
print(sorted(f | {9}), type(f | {9}).__name__, type({9} | f).__name__, f == {1, 2, 3})
d = {f: "frozen key"}
print(d[frozenset({1, 2, 3})])
print(sorted(set(range(10)) - set(range(0, 10, 3))))
print(len(set("aabbccdd")), sorted(set([1, 1.0, True, 2])))
c2 = {1, 2}
c3 = c2.copy()
c3.add(3)
c2.clear()
print(c2, sorted(c3), set() == frozenset())
print(sorted(x for x in {i * i % 11 for i in range(20)}))
