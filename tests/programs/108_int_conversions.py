# int()/float()/str()/bool() conversions, int from float truncation, errors
print(int(3.7), int(-3.7), int("42"), int(" -17 "), int(True), int(2 ** 70 + 0.0))
print(float(1), float("3.5"), float(" -2e3 "), float("inf"), float("-Infinity"), float("nan"))
print(float("1_000.5"), int("1_000"), float(".5"), float("5."), float("1e-3"))
print(str(42), str(-0.5), str(True), str(None), str([1, "a"]), str(1e21), str(10 ** 21))
print(bool(0), bool(1), bool(-1), bool(0.0), bool(""), bool(" "), bool([]), bool([[]]), bool(None))
for bad in ["", "abc", "1.5", "1e3", "0x10", "--1", "1 2"]:
    try:
        int(bad)
    except ValueError as e:
        print("ValueError:", e)
for bad in ["", "abc", "1.2.3", "e5"]:
    try:
        float(bad)
    except ValueError as e:
        print("ValueError:", e)
try:
    int(float("inf"))
except OverflowError as e:
    print("OverflowError:", e)
try:
    int(float("nan"))
except ValueError as e:
    print("ValueError:", e)
try:
    int([1])
except TypeError as e:
    print("TypeError:", e)
try:
    float(2 ** 2000)
except OverflowError as e:
    print("OverflowError:", e)
class Num:
    def __int__(self):
        return 7
    def __float__(self):
        return 2.5
    def __index__(self):
        return 3
print(int(Num()), float(Num()), [10, 20, 30, 40][Num()], bin(Num()))
print(int("0b11", 0) + int("0o11", 0) + int("0x11", 0))
print(float(10 ** 308), 10 ** 308 == float(10 ** 308), int(1e308) == 10 ** 308)
print(int(-0.0), float(-0), str(-0.0), -0.0 == 0)
print(int("123456789012345678901234567890") * 2, float("123456789012345678901234567890"))
print(round(float("2.5")), int(float("2.9999999999999999")), int(2.9999999999999996))
print(complex(1, 2), complex("3+4j"), int(True + True), float(False))
