# sorted() and reversed() on many iterable types
print(sorted([5, 2, 9]), sorted("banana"), sorted((3, 2, 1)), sorted({3, 1, 2}))
print(sorted({"b": 1, "a": 2}), sorted({"b": 1, "a": 2}.items()), sorted(range(5, 0, -1)))
print(sorted(x % 4 for x in range(10)), sorted(map(abs, [-3, 1, -2])))
print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed((1, 2))), list(reversed(range(4))))
print(list(reversed({"x": 1, "y": 2})), list(reversed({"x": 1, "y": 2}.values())))
print("".join(reversed("stressed")), sorted("stressed", reverse=True))
r = reversed([10, 20, 30])
print(next(r), next(r), list(r), list(r))
try:
    reversed({1, 2})
except TypeError as e:
    print("TypeError:", e)
try:
    reversed(x for x in [1])
except TypeError as e:
    print("TypeError:", e)
orig = [3, 1, 2]
s = sorted(orig)
print(orig, s, s is orig)
print(sorted(["a10", "a2", "a1"]), sorted(["a10", "a2", "a1"], key=lambda s: int(s[1:])))
print(sorted([-2, 1, -3, 4], key=lambda x: x * x), sorted([[3, "c"], [1, "a"]]))
data = [("b", 2), ("a", 2), ("c", 1)]
print(sorted(data, key=lambda t: t[1]), sorted(data, key=lambda t: t[1], reverse=True))
print(list(reversed(sorted(data))), sorted(reversed(data)))
print(sorted([3.5, 1, 2.25, -0.5]), sorted([b"b", b"a"]), sorted([(2,), (1, 2), (1,)]))
print(type(reversed([])).__name__, type(reversed(range(2))).__name__)
class Seq:
    def __len__(self):
        return 3
    def __getitem__(self, i):
        if i >= 3:
            raise IndexError
        return "s%d" % i
print(list(reversed(Seq())), sorted(Seq(), reverse=True))
print(sorted(sorted([5, 3, 8, 1])[::-1]), list(reversed(list(reversed([1, 2])))))
