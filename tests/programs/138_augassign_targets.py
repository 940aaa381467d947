# Augmented assignment to attributes and subscripts: target evaluated once
log = []
class Obj:
    def __init__(self):
        self._v = 1
    @property
    def v(self):
        log.append("get v")
        return self._v
    @v.setter
    def v(self, val):
        log.append("set v=%r" % val)
        self._v = val
def get_obj(o):
    log.append("get_obj")
    return o
o = Obj()
get_obj(o).v += 10
print(o._v, log)
log.clear()
class Rec(list):
    def __getitem__(self, i):
        log.append("getitem %r" % (i,))
        return super().__getitem__(i)
    def __setitem__(self, i, v):
        log.append("setitem %r=%r" % (i, v))
        super().__setitem__(i, v)
def idx(i):
    log.append("idx %d" % i)
    return i
r = Rec([1, 2, 3])
r[idx(1)] *= 5
print(list(r), log)
log.clear()
d = {"a": [1]}
def key(k):
    log.append("key " + k)
    return k
d[key("a")] += [2]
d[key("a")][0] -= 100
print(d, log)
matrix = [[0] * 3 for _ in range(3)]
for i in range(3):
    for j in range(3):
        matrix[i][j] += i * 3 + j
        matrix[i][j] **= 2
print(matrix)
class Counter:
    total = 0
c = Counter()
c.total += 5
print(c.total, Counter.total)
Counter.total += 1
print(c.total, Counter.total)
s = {"k": "x"}
s["k"] *= 3
s["k"] += "y"
print(s)
t = ([1],)
try:
    t[0] += [2]
except TypeError as e:
    print("TypeError:", e)
print(t)
nested = {"a": {"b": {"c": 1}}}
nested["a"]["b"]["c"] <<= 4
nested["a"]["b"]["c"] |= 3
print(nested)
