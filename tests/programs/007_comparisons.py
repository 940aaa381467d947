# COMPARE_OP for many types
pairs = [(1, 2), (2, 2), (3, 2), (1.5, 1), (1, 1.0), ("a", "b"), ("b", "a"),
         ((1, 2), (1, 3)), ([1], [1]), ((), (0,)), (True, 1), (False, 0.0)]
for a, b in pairs:
    print(repr(a), repr(b), a < b, a <= b, a == b, a != b, a > b, a >= b)
print(None == None, None != 0, None == False)
print(1 == "1", "1" != 1, [] == (), {} == {})
print({1: 2} == {1: 2}, {1: 2} != {1: 3})
print({1, 2} == {2, 1}, {1} < {1, 2}, {1, 2} <= {1, 2}, {3} > {1})
print(float("nan") == float("nan"), float("nan") != float("nan"))
nan = float("nan")
print(nan < 1, nan > 1, nan == nan, nan is nan, [nan] == [nan])
print(10 ** 20 > 10 ** 19, -10 ** 20 < 5, 10 ** 20 == 10.0 ** 20)
print(2 ** 53 + 1 == float(2 ** 53 + 1), 2 ** 53 == float(2 ** 53))
print((1, "a") < (1, "b"), (2,) > (1, "z"), [1, [2]] < [1, [3]])
print("apple" < "banana", "Apple" < "apple", "" < "a")
try:
    print(1 < "a")
except TypeError as e:
    print("TypeError:", e)
try:
    print([1] < (1,))
except TypeError as e:
    print("TypeError:", e)
try:
    print(None < None)
except TypeError as e:
    print("TypeError:", e)
r = [x for x in range(10) if x >= 3 and x != 5 and not x > 8]
print(r)
print(max(3, 3.0), min(3.0, 3), max([1, 2], [1, 3]))
