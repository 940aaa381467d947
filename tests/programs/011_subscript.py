# BINARY_SUBSCR / STORE_SUBSCR / DELETE_SUBSCR on list, dict, tuple, str, custom
lst = [10, 20, 30, 40, 50]
print(lst[0], lst[4], lst[-1], lst[-5])
lst[1] = 21
lst[-2] = 41
print(lst)
del lst[0]
print(lst)
del lst[-1]
print(lst)
d = {}
d["a"] = 1
d[2] = "two"
d[(1, 2)] = [3]
d[(1, 2)].append(4)
print(d, d["a"], d[2], d[1, 2])
del d["a"]
print(d)
t = (1, (2, 3), [4, 5])
print(t[1][0], t[2][1], t[-1][-1])
t[2][0] = 99
print(t)
s = "subscript"
print(s[0], s[3], s[-2])
grid = [[r * 3 + c for c in range(3)] for r in range(3)]
for r in range(3):
    print(grid[r][0], grid[r][1], grid[r][2])
grid[1][2] = -1
print(grid)
class Sq:
    def __getitem__(self, k):
        print("get", k)
        return k * k if isinstance(k, int) else k
    def __setitem__(self, k, v):
        print("set", k, v)
    def __delitem__(self, k):
        print("del", k)
sq = Sq()
print(sq[7])
print(sq[1, 2])
print(sq["x"])
sq[3] = "three"
sq["a", "b"] = 0
del sq[5]
nested = {"x": {"y": {"z": 1}}}
nested["x"]["y"]["z"] += 41
print(nested)
counts = {}
for ch in "mississippi":
    counts[ch] = counts.get(ch, 0) + 1
print(counts)
keys = [0, 2, 4]
vals = [1, 2, 3, 4, 5, 6]
for k in keys:
    vals[k] = vals[k] * 100
print(vals)
