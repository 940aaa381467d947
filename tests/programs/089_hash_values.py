# hash() of ints, floats, strings, tuples, frozensets (PYTHONHASHSEED=0 for str)
for v in [0, 1, -1, -2, 2 ** 31, 2 ** 61 - 2, 2 ** 61 - 1, 2 ** 61, 2 ** 64, -(2 ** 64), 10 ** 30]:
    print(v, hash(v))
for v in [0.0, -0.0, 0.5, 1.5, -2.25, 1e100, 3.14159, float("inf"), float("-inf")]:
    print(v, hash(v))
for s in ["", "a", "b", "ab", "hello", "Hello", "hello world", "pyreg"]:
    print(repr(s), hash(s))
for t in [(), (1,), (1, 2), (2, 1), ("a", 1), ((1, 2), (3,)), (0,), (True, False)]:
    print(t, hash(t))
print(hash(None) == hash(None), hash(True), hash(False), hash(1) == hash(1.0))
print(hash(b"bytes"), hash(b""), hash(b"a") == hash("a"))
print(hash(frozenset()), hash(frozenset([1, 2, 3])) == hash(frozenset([3, 2, 1])))
print(hash(range(5)) == hash(range(0, 5)), hash((1, 2)) == hash((1, 2)))
class H:
    def __hash__(self):
        return -1
print(hash(H()))
class Big:
    def __hash__(self):
        return 2 ** 100
print(hash(Big()))
try:
    hash({})
except TypeError as e:
    print("TypeError:", e)
try:
    hash((1, [2]))
except TypeError as e:
    print("TypeError:", e)
print(hash(12345678901234567890) == hash(12345678901234567890 % (2 ** 61 - 1)))
print(hash(-1) == hash(-2), hash(-(2 ** 61 - 1)))
