# __getitem__/__setitem__/__delitem__/__len__/__contains__/__reversed__
class Seq:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.n))]
        if i < 0:
            i += self.n
        if not 0 <= i < self.n:
            raise IndexError("Seq index out of range")
        return i * i
s = Seq(6)
print(len(s), s[0], s[5], s[-1], s[1:4], s[::-2])
print(list(s), 16 in s, 17 in s, list(reversed(s)))
for i, v in enumerate(s):
    if i > 2:
        break
    print(i, v)
try:
    s[10]
except IndexError as e:
    print("IndexError:", e)
print(bool(Seq(0)), bool(Seq(1)))
class Grid:
    def __init__(self):
        self.cells = {}
    def __getitem__(self, key):
        r, c = key
        return self.cells.get((r, c), ".")
    def __setitem__(self, key, val):
        self.cells[key] = val
    def __delitem__(self, key):
        del self.cells[key]
    def __len__(self):
        return len(self.cells)
g = Grid()
g[0, 0] = "X"
g[1, 2] = "O"
g[2, 1] = "X"
for r in range(3):
    print("".join(g[r, c] for c in range(3)))
print(len(g))
del g[1, 2]
print(len(g), g[1, 2])
class Rev:
    def __init__(self, data):
        self.data = data
    def __len__(self):
        return len(self.data)
    def __getitem__(self, i):
        return self.data[i]
    def __reversed__(self):
        print("  custom reversed")
        return iter(self.data[::-1] + ["extra"])
print(list(reversed(Rev([1, 2, 3]))))
class BadLen:
    def __len__(self):
        return -1
try:
    len(BadLen())
except ValueError as e:
    print("ValueError:", e)
class DictLike:
    def __getitem__(self, k):
        return k * 2
d = DictLike()
print(d["ab"], d[21], d[(1,)])
