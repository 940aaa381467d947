# enumerate with start, zip of unequal lengths, zip(*), dict from zip
names = ["ann", "bob", "cid"]
print(list(enumerate(names)), list(enumerate(names, 1)), list(enumerate("ab", -5)))
for i, n in enumerate(names, start=10):
    print(i, n)
e = enumerate("xyz")
print(next(e), next(e), list(e))
print(list(zip([1, 2, 3], "abc")), list(zip(range(5), "ab")), list(zip()))
print(list(zip([1], [2], [3], [4])), list(zip("abc")))
matrix = [[1, 2, 3], [4, 5, 6]]
print(list(zip(*matrix)), [list(r) for r in zip(*zip(*matrix))])
keys = ["a", "b", "c"]
vals = [1, 2, 3]
print(dict(zip(keys, vals)), dict(enumerate(keys)))
pairs = [("x", 1), ("y", 2)]
letters, numbers = zip(*pairs)
print(letters, numbers)
for (i, c), n in zip(enumerate("pq"), range(100, 102)):
    print(i, c, n)
a = [1, 2, 3, 4]
print([x - y for x, y in zip(a[1:], a)], list(zip(a, a[1:], a[2:])))
z = zip(iter([1, 2, 3]), iter("ab"))
print(list(z), list(z))
def count():
    i = 0
    while True:
        yield i
        i += 1
print(list(zip(count(), "hello")))
print(list(enumerate(zip("ab", "cd"))))
print(sorted(zip([3, 1, 2], "cab")), max(zip([1, 5, 3], "xyz")))
scores = {"ann": 90, "bob": 72, "cid": 85}
for rank, (name, sc) in enumerate(sorted(scores.items(), key=lambda kv: -kv[1]), 1):
    print(rank, name, sc)
print(type(zip()).__name__, type(enumerate([])).__name__)
