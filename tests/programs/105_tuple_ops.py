# Tuple operations: concat, repeat, compare, count/index, immutability, nesting
t = (1, 2, 3)
print(t + (4,), t * 2, (0,) * 3, t[::-1], t[1:], len(t))
print(t.count(2), t.index(3), (1, 2) < (1, 3), (1, 2) < (1, 2, 0), () < (0,))
try:
    t[0] = 9
except TypeError as e:
    print("TypeError:", e)
try:
    del t[0]
except TypeError as e:
    print("TypeError:", e)
try:
    t.index(99)
except ValueError as e:
    print("ValueError:", e)
single = (5,)
not_tuple = (5)
print(type(single).__name__, type(not_tuple).__name__, single, ())
nested = ((1, 2), (3, (4, 5)))
print(nested[1][1][0], nested[0] + nested[1], len(nested))
mut = ([1], [2])
mut[0].append(10)
print(mut)
print(tuple(range(5)), tuple("abc"), tuple({"k": 1}), tuple(x * 2 for x in (1, 2)))
a = (1, 2)
b = a
a += (3,)
print(a, b)
coords = [(1, 2), (3, 4), (0, 0)]
print(sorted(coords), max(coords), min(coords, key=lambda p: p[1]))
print(sum((1, 2, 3)), any((0, 0)), all((1, 1)), 2 in t, (1, 2) in [(1, 2)])
def multi():
    return 1, "two", [3]
r = multi()
print(r, type(r).__name__)
x, y, z = r
print(x, y, z)
print(tuple(sorted((3, 1, 2))), tuple(reversed(t)), hash((1, 2)) == hash((1, 2)))
print((1, 2) == (1, 2), (1, 2) == [1, 2], (1,) + (2,) == (1, 2))
print(tuple() == (), repr((1,)), repr(((),)), str((None, True)))
points = {(0, 0): "origin", (1, 0): "east"}
print(points[0, 0], points[(1, 0)])
counts = {}
for pair in [(1, 2), (2, 1), (1, 2)]:
    counts[pair] = counts.get(pair, 0) + 1
print(counts)
print(tuple(map(sum, zip((1, 2, 3), (10, 20, 30)))))
