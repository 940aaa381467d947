# BUILD_TUPLE/LIST/SET/MAP/CONST_KEY_MAP/STRING, LIST_APPEND etc.
a, b, c = 1, 2, 3
print((a, b, c), [a, b, c], {a: b, b: c}, sorted({a, b, c, a}))
print((), [], {}, (a,), [[]], [()], ((),))
print({"x": a, "y": b, "z": c})
print({1: "one", 2: "two", 3: "three"})
k = "key"
print({k: 1, k + "2": 2, k * 2: 3})
print({1: 1, 1.0: 2, True: 3})
print({(1, 2): "tuple", "s": [1, 2], 3: {4: 5}})
print(f"{a}{b}{c}", f"{a} and {b}", f"{'nested'}")
nested = [(i, [j for j in range(i)]) for i in range(4)]
print(nested)
print(tuple([1, 2]), list((3, 4)), dict([(5, 6)]), set([7, 7, 8]) == {7, 8})
print(dict(a=1, b=2), dict({"c": 3}, d=4), dict(zip("ab", [1, 2])))
big = [i for i in range(30)]
print(big)
big_t = tuple(big)
print(big_t[10:20])
d = {str(i): i for i in range(5)}
print(d)
print([1, 2, *[3, 4], 5], (1, *(2, 3)), {*[1, 2], 3} == {1, 2, 3})
print(len({"a": 1, "a": 2}), {"a": 1, "a": 2})
mixed = [1, "two", 3.0, None, True, [4], (5,), {6: 7}]
for item in mixed:
    print(type(item).__name__, repr(item))
print(frozenset([1, 2]) == frozenset({2, 1}))
empty_set = set()
print(empty_set, len(empty_set))
print([[1, 2], [3, 4]][1][0], {"a": {"b": [1, 2]}}["a"]["b"][1])
