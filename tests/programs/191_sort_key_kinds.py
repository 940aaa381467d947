# Sorting: keys of one kind (ints, floats with signed zeros, strs) and
# mixed or compound keys, stable and reversed.
print(sorted([0.0, -0.0, 1.5, -2.0, 0.0]), sorted([-0.0, 0.0]))
print(sorted(["b", "a", "é", "Z", "ab", ""]), sorted([3, 1, 2], reverse=True))
recs = [(1, "x"), (0, "y"), (1, "a"), (0, "b")]
print(sorted(recs, key=lambda r: r[0]), sorted(recs, key=lambda r: r[0], reverse=True))
print(sorted(recs), sorted([[1, 2], [1], [0, 5]]), sorted([(1, 2.0), (1, 1)]))
print(sorted([2**70, 1, -5]), sorted([True, 0, 2]), sorted([1, 2.5, 0]))
print(sorted([float("nan"), 1.0, 0.5]))
