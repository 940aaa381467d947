# dict methods: get/setdefault/pop/popitem/update/keys/values/items/copy/clear/fromkeys
d = {"a": 1, "b": 2}
print(d.get("a"), d.get("z"), d.get("z", 0))
print(d.setdefault("c", 3), d.setdefault("a", 100), d)
print(d.pop("b"), d.pop("zz", "default"), d)
try:
    d.pop("zz")
except KeyError as e:
    print("KeyError:", e)
d.update({"x": 10, "a": -1})
d.update(y=20)
d.update([("z", 30)])
print(d)
print(list(d.keys()), list(d.values()), list(d.items()))
print(d.popitem(), d.popitem(), d)
e = d.copy()
e["new"] = True
print(d, e)
e.clear()
print(e, len(e))
try:
    {}.popitem()
except KeyError as ex:
    print("KeyError:", ex)
try:
    d["missing"]
except KeyError as ex:
    print("KeyError:", ex)
print(dict.fromkeys(range(3)), dict.fromkeys("ab", []))
shared = dict.fromkeys("xy", [])
shared["x"].append(1)
print(shared)
groups = {}
for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    groups.setdefault(word[0], []).append(word)
print(groups)
inv = {}
for k, v in {"a": 1, "b": 2, "c": 1}.items():
    inv.setdefault(v, []).append(k)
print(inv)
print(len(d), "c" in d, "zz" not in d, d == {"c": 3, "a": -1, "x": 10})
print({1: "a"} == {1.0: "a"}, dict(a=1) == {"a": 1})
nested = {"l1": {"l2": {"l3": "deep"}}}
print(nested.get("l1", {}).get("l2", {}).get("l3"), nested.get("q", {}).get("r"))
counts = {}
for ch in "abracadabra":
    counts[ch] = counts.get(ch, 0) + 1
print(counts, max(counts, key=counts.get), sorted(counts, key=lambda k: -counts[k]))
print(list(reversed({"p": 1, "q": 2, "r": 3})), list(reversed({"p": 1}.items())))
