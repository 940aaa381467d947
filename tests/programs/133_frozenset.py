# frozenset: hashable sets, as dict keys and set members, operations
fs = frozenset([3, 1, 2, 3])
print(sorted(fs), len(fs), 2 in fs, 5 in fs, type(fs).__name__)
print(fs == {1, 2, 3}, fs == frozenset((1, 2, 3)), hash(fs) == hash(frozenset([1, 2, 3])))
try:
    fs.add(4)
except AttributeError as e:
    print("AttributeError:", e)
edges = {frozenset((1, 2)), frozenset((2, 1)), frozenset((2, 3))}
print(len(edges), sorted(sorted(e) for e in edges))
adj = {frozenset("ab"): 5, frozenset("bc"): 7}
print(adj[frozenset("ba")], adj.get(frozenset("ca"), "none"))
a = frozenset(range(5))
b = frozenset(range(3, 8))
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(type(a | b).__name__, type(a & {1}).__name__, type({1} & a).__name__)
print(a.issubset(range(10)), a.issuperset([1, 2]), a.isdisjoint([9]), frozenset() < a)
power = {frozenset()}
for x in [1, 2, 3]:
    power |= {s | {x} for s in power}
print(len(power), sorted(sorted(s) for s in power))
nested = frozenset([frozenset([1]), frozenset([1]), frozenset([2, 3])])
print(len(nested), sorted(len(s) for s in nested))
print(frozenset(), repr(frozenset()), frozenset() == set(), bool(frozenset()))
print(sorted(frozenset("mississippi")), sorted(frozenset({"k": 1, "j": 2})))
c = a.copy()
print(c is a, c == a)
groups = {}
for word in ["stop", "pots", "tops", "opts", "spot", "post", "abc", "cab", "bca", "xyz"]:
    groups.setdefault(frozenset(word), []).append(word)
print(sorted(sorted(v) for v in groups.values()))
print(sorted(frozenset([1, 2]).union([3], (4,))), sorted(frozenset([1, 2, 3]).difference({1}, [2])))
