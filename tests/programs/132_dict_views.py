# dict views: keys/values/items are live, set-like operations on keys/items
d = {"a": 1, "b": 2, "c": 3}
k, v, it = d.keys(), d.values(), d.items()
print(k, v, it)
print(len(k), "a" in k, 2 in v, ("c", 3) in it, ("c", 4) in it)
d["d"] = 4
del d["a"]
print(list(k), list(v), list(it))
print(sorted(k & {"b", "z"}), sorted(k | {"z"}), sorted(k - {"b"}), sorted(k ^ {"b", "q"}))
print(sorted(it & {("b", 2), ("c", 0)}), k == {"b", "c", "d"}, k <= {"b", "c", "d", "e"})
other = {"c": 30, "d": 4, "e": 5}
print(sorted(d.keys() & other.keys()), sorted(d.items() & other.items()))
print(sorted(d.keys() - other.keys()), sorted(other.keys() - d.keys()))
print(k.isdisjoint({"x"}), k.isdisjoint({"b"}))
print(list(reversed(k)), list(reversed(v)), list(reversed(it)))
print(sum(v), max(k), sorted(v, reverse=True))
try:
    for key in d.keys():
        d[key + key] = 0
except RuntimeError as e:
    print("RuntimeError:", e)
print(d)
for key in list(d.keys()):
    if len(key) > 1:
        del d[key]
print(d)
print(type(k).__name__, type(v).__name__, type(it).__name__)
print(v == v, d.values() == d.values(), list(d.values()) == list(d.values()))
empty = {}
print(list(empty.keys()), len(empty.items()), bool(empty.values()))
inv = dict(map(reversed, d.items()))
print(inv)
print({k: v for k, v in sorted(d.items(), key=lambda kv: -kv[1])})
