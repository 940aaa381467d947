# inf, nan, -0.0, overflow behaviour, comparisons and arithmetic with specials
inf = float("inf")
nan = float("nan")
print(inf, -inf, nan, inf + 1, inf * 2, -inf * -1, inf - inf, inf * 0, inf / inf)
print(1 / inf, -1 / inf, inf > 10 ** 400, -inf < -(10 ** 400), inf == inf, inf == -inf)
print(nan == nan, nan != nan, nan < 1, nan > 1, nan <= nan, nan is nan)
print(nan + 1, nan * 0, max(1, nan), max(nan, 1), min(nan, 1))
print(sorted([3.0, inf, -inf, 0.0, -0.0]), -0.0 == 0.0, str(-0.0), str(0.0 * -1))
print(1e308 * 10, -1e308 * 10, 2.0 ** 1023 * 2, 5e-324 / 2, 5e-324 * 0.5)
try:
    2.0 ** 10000
except OverflowError as e:
    print("OverflowError:", e)
try:
    1.0 / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    0.0 % 0.0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
print(inf % 5 if False else "skip", 5 % inf, -5 % inf, 5 // inf, -5 // inf)
print(divmod(5.0, inf), divmod(-5.0, inf))
print(int(1e18), int(-1e18), float(2 ** 63 - 1), (2 ** 63 - 1) == float(2 ** 63 - 1))
print(0.1 + 0.7, (0.1 + 0.7) * 10, int((0.1 + 0.7) * 10))
print(abs(-inf), abs(nan), -nan, repr(-nan))
print(inf in [inf], nan in [nan], nan in [float("nan")])
print(float("1e500"), float("-1e500"), float("1e-500"), float("-1e-500"))
print(hash(inf), hash(-inf), (1.0).hex(), (-0.0).hex(), float.fromhex("0x1.8p1"))
print((0.5).as_integer_ratio(), (0.1).as_integer_ratio(), (3.0).is_integer(), (3.5).is_integer())
print((1e300 * 1e10) == inf, inf - 1e308 == inf)
