# Dict insertion ordering: updates keep position, delete and re-insert moves to end
d = {}
for k in ["zeta", "alpha", "mu", "beta"]:
    d[k] = len(k)
print(list(d))
d["alpha"] = 100
print(list(d.items()))
del d["zeta"]
d["zeta"] = 0
print(list(d.items()))
d2 = {3: "c", 1: "a", 2: "b"}
print(d2, list(d2), sorted(d2))
d2.update({1: "A", 4: "d"})
print(d2)
merged = {**{"x": 1, "y": 2}, **{"y": 3, "w": 4}}
print(merged, list(merged))
ints = {}
for i in [10, 5, 7, 1, 100, -3]:
    ints[i] = i * i
print(ints, list(ints.keys()))
popped = ints.pop(7)
ints[7] = popped
print(list(ints))
print({k: None for k in "hello"}, list(dict.fromkeys("mississippi")))
def dedupe(seq):
    return list(dict.fromkeys(seq))
print(dedupe([3, 1, 3, 2, 1, 5]), dedupe("abracadabra"))
od = {"b": 1, "a": 2}
od2 = {"a": 2, "b": 1}
print(od == od2, list(od) == list(od2))
keys = list(range(20))
big = {k: str(k) for k in reversed(keys)}
print(list(big)[:5], list(big.values())[-5:])
for k in list(big):
    if k % 2:
        del big[k]
print(list(big))
big[1] = "one"
print(list(big)[-3:])
d3 = {"a": 1}
try:
    for k in d3:
        d3["b"] = 2
except RuntimeError as e:
    print("RuntimeError:", e)
print(d3)
print(list({1: 1, True: 2, 1.0: 3}.items()))
