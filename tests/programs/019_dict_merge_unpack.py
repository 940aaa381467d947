# BUILD_MAP with ** (DICT_UPDATE / DICT_MERGE), dict | is 3.9
d1 = {"a": 1, "b": 2}
d2 = {"b": 20, "c": 30}
print({**d1, **d2})
print({**d2, **d1})
print({"z": 0, **d1, "b": 99, **d2, "last": -1})
print({**{}, **{}})
print(d1 | d2, d2 | d1)
d3 = dict(d1)
d3 |= d2
print(d3, d1)
d3 |= [("q", 7)]
print(d3)
def kw(**kwargs):
    return sorted(kwargs.items())
print(kw(**d1), kw(**d1, c=3), kw(x=1, **d2))
try:
    kw(**d1, **{"a": 5})
except TypeError as e:
    print("TypeError:", e)
def mixed(a, b, c=0, **rest):
    return a, b, c, rest
print(mixed(**{"a": 1, "b": 2}))
print(mixed(1, **{"b": 2, "c": 3, "d": 4}))
print(mixed(*[1, 2], **{"e": 5}))
base = {"x": 1}
over = {"x": 2}
for i in range(3):
    base = {**base, "x": base["x"] + i, "n" + str(i): i}
    print(base)
nested = {"outer": {**over, "inner": {**d1}}}
print(nested)
class M:
    def keys(self):
        return ["p", "q"]
    def __getitem__(self, k):
        return k.upper()
print({**M()})
print(dict(M()), kw(**M()))
