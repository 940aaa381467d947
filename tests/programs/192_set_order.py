# Set and frozenset iteration order: CPython 3.9's open-addressing table,
# after adds, removes and resizes, for each constructor and operation.


def show(label, s):
    print(label, s, list(s), len(s))


# Displays of constants (a folded frozenset) and of computed values.
show("ints", {3, 1, 2, 100, -1, 8, 16, 33})
show("mixed", {3, 1, 2, 100, -1, "a", "b"})
a, b, c = 10, 2, 33
show("computed", {a, b, c, -a, -b, 64 + a})
show("tuples", {(1, 2), (3, 4), (-1, -1), (0,), ()})
show("strs", set("hello world"))
show("neg", {-1, -2, -3, -8, -9, -16, 7, 15})
show("equal items", {True, 1, 1.0, 2, "a", "a", 0, False, -0.0})

# Adds that resize the table, then removals that leave dummies.
s = set()
for i in range(40):
    s.add(i * 37 % 101)
show("grown", s)
for i in range(0, 40, 3):
    s.discard(i * 37 % 101)
show("holes", s)
s.add(1000)
s.add(-1000)
show("refill", s)
s.remove(1000)
print([s.pop() for _ in range(6)])
show("popped", s)

# pop sweeps the table from a finger.
p = set([10, 2, 33, 7, 25])
print(p.pop(), p.pop(), p)
p.add(41)
print(p.pop(), p)
p.clear()
p.update([5, 13, 21])
print(p.pop(), p)

# Constructors: from a list, a dict, a set, a frozenset, a string, a range.
src = [16, 1, 2, 3, 4, 48, -5]
d = dict.fromkeys(src)
t = set(src)
show("set(list)", t)
show("set(range)", set(range(30, 0, -3)))
show("frozenset(list)", frozenset(src))
show("set(tuple)", set(tuple(reversed(src))))
for k in (1, 2, 3):
    t.discard(k)
show("set(set with dummies)", set(t))
show("frozenset(set)", frozenset(t))
show("copy", t.copy())
show("comprehension", {x * x % 17 for x in range(25)})

# Operators.
x = set(range(0, 40, 3))
y = {5, 6, 9, 12, 70, 33, -4, 100}
show("x | y", x | y)
show("y | x", y | x)
show("x & y", x & y)
show("y & x", y & x)
show("x - y", x - y)
show("y - x", y - x)
show("x ^ y", x ^ y)
show("y ^ x", y ^ x)
show("big - small", set(range(64)) - {1, 2})
show("x | x", x | x)
show("x - x", x - x)
show("x ^ x", x ^ x)
f = frozenset(y)
show("frozen | set", f | x)
show("set & frozen", x & f)

# Methods with sets and other iterables.
show("union", x.union([100, 50, -7], (3, 4)))
show("intersection", x.intersection([3, 19, 21, 88, 0]))
show("intersection sets", x.intersection(y, {9, 12, 5}))
show("difference", x.difference([1, 2, 3], {6}))
show("difference set", x.difference(y))
show("symmetric_difference", x.symmetric_difference([1, 99, 57, 3]))
show("symmetric_difference set", x.symmetric_difference(y))
show("frozen union", f.union(x))

# In place.
z = set(range(20))
z -= {1, 2, 3}
show("-=", z)
z |= {99, 64, -3}
show("|=", z)
z &= set(range(5, 70))
show("&=", z)
z ^= {5, 6, 1000}
show("^=", z)
z.update([7, 300, 301], {400, 2})
show("update", z)
z.intersection_update(range(0, 500, 2))
show("intersection_update", z)
z.difference_update([8, 10], {12})
show("difference_update", z)
z.symmetric_difference_update([1, 2, 300])
show("symmetric_difference_update", z)

# Changing the size while iterating, keeping it in the end.
w = {1, 2, 3, 50}
for v in list(w):
    w.discard(v)
    w.add(v + 8)
show("moved", w)

# Membership and comparisons do not depend on the order.
print(3 in x, 4 in x, frozenset([1, 2]) in {frozenset([2, 1])})
print(x <= x | y, x < y, {1, 2} == frozenset([2, 1]), hash(frozenset()) == hash(frozenset([])))
