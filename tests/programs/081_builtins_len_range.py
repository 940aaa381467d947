# len() on many types, range() semantics: start/stop/step, negatives, indexing
print(len("abc"), len([1, 2]), len((1,)), len({1: 2}), len({1, 2, 3}), len(range(10)), len(b"xy"))
print(list(range(5)), list(range(2, 6)), list(range(0, 10, 3)), list(range(10, 0, -2)))
print(list(range(0)), list(range(5, 2)), list(range(-3, 3)), list(range(3, -3, -1)))
r = range(1, 20, 4)
print(r, len(r), r[0], r[-1], r[2], r[1:3], r.start, r.stop, r.step)
print(r.index(9), r.count(9), r.count(10), 13 in r, 14 in r)
print(range(0, 10, 2) == range(0, 9, 2), range(0) == range(5, 2), range(3) == range(0, 3, 1))
print(list(reversed(range(1, 10, 3))), sum(range(101)), max(range(7)), min(range(3, 9)))
print(len(range(-10, 10, 3)), list(range(-10, 10, 3)))
print(range(0, 10 ** 20, 7)[-1], range(0, 10 ** 20, 7)[10 ** 18], 10 ** 19 in range(0, 10 ** 20, 7))
try:
    range(1, 2, 0)
except ValueError as e:
    print("ValueError:", e)
try:
    range(5)[10]
except IndexError as e:
    print("IndexError:", e)
try:
    range(1.5)
except TypeError as e:
    print("TypeError:", e)
try:
    len(5)
except TypeError as e:
    print("TypeError:", e)
class L:
    def __len__(self):
        return 42
print(len(L()))
for i in range(3, 0, -1):
    print("countdown", i)
acc = []
for i in range(2, 30, 7):
    acc.append(i)
print(acc, [range(i) for i in range(3)])
print(repr(range(0, 5)), repr(range(1, 5, 2)), str(range(3)))
print(bool(range(0)), bool(range(1)), hash(range(3)) == hash(range(0, 3)))
