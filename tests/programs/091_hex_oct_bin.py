# hex/oct/bin, int() with base, literals in all bases, format equivalents
for v in [0, 1, 7, 8, 15, 16, 255, 256, -1, -255, 2 ** 32, -(2 ** 40), 10 ** 20]:
    print(v, hex(v), oct(v), bin(v))
print(0x1F, 0o17, 0b1011, 0XFF, 0O7, 0B1, 1_000_000, 0x_ff_ff, 0b_1010_1010)
print(int("ff", 16), int("FF", 16), int("0xff", 16), int("0xff", 0), int("0o17", 0), int("0b101", 0))
print(int("777", 8), int("101", 2), int("z", 36), int("Zz", 36), int("10", 7), int("1_000"))
print(int("-0x1a", 16), int("  42  "), int("+7"), int("0", 0), int("00", 0))
for bad, base in [("12", 2), ("0x", 16), ("", 10), ("1.5", 10), ("09", 0), ("abc", 10)]:
    try:
        int(bad, base)
    except ValueError as e:
        print("ValueError:", e)
try:
    int("5", 1)
except ValueError as e:
    print("ValueError:", e)
try:
    hex(1.5)
except TypeError as e:
    print("TypeError:", e)
class Idx:
    def __index__(self):
        return 42
print(hex(Idx()), bin(Idx()), oct(Idx()), list(range(50))[Idx()])
print(format(255, "x"), format(255, "#b"), format(-255, "o"), f"{255:#X}")
def to_base(n, b):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    sign = "-" if n < 0 else ""
    n = abs(n)
    out = ""
    while n:
        n, r = divmod(n, b)
        out = digits[r] + out
    return sign + out
for b in [2, 3, 7, 16, 36]:
    s = to_base(123456789, b)
    print(b, s, int(s, b))
print(to_base(-2 ** 70, 36), int(to_base(-2 ** 70, 36), 36) == -2 ** 70)
print(int(bin(12345), 2), int(hex(-999), 16), int(oct(64), 8))
print(int(3.99), int(-3.99), int(True), int(b"12" if False else "12"), int("٣"))
