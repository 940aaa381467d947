# divmod and pow (2 and 3 args), abs, int/float interplay
for a, b in [(17, 5), (-17, 5), (17, -5), (-17, -5), (0, 3), (2 ** 70, 12345)]:
    print(a, b, divmod(a, b))
for a, b in [(7.5, 2), (-7.5, 2), (1.0, 0.1), (1e20, 3)]:
    print(a, b, divmod(a, b))
print(pow(2, 10), pow(2.0, 10), pow(2, -2), pow(-8, 1 / 3) if False else pow(8, 1 / 3))
print(pow(2, 10, 1000), pow(3, 200, 10 ** 9 + 7), pow(-3, 3, 7), pow(3, -1, 7), pow(10, 2, -7))
print(pow(0, 0), pow(0.0, 0), pow(1, 10 ** 10), pow(-1, 10 ** 10 + 1))
try:
    pow(2, 3, 0)
except ValueError as e:
    print("ValueError:", e)
try:
    pow(2, -1, 4)
except ValueError as e:
    print("ValueError:", e)
try:
    pow(2.0, 3, 5)
except TypeError as e:
    print("TypeError:", e)
try:
    0 ** -1
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
print(pow(-8, 1 / 3))
print((-1) ** 0.5)
class P:
    def __pow__(self, other, mod=None):
        return ("pow", other, mod)
    def __rpow__(self, other):
        return ("rpow", other)
print(P() ** 3, pow(P(), 3), pow(P(), 3, 5), 2 ** P())
class D:
    def __divmod__(self, o):
        return ("divmod", o)
    def __rdivmod__(self, o):
        return ("rdivmod", o)
print(divmod(D(), 3), divmod(3, D()))
def modexp(b, e, m):
    r = 1
    b %= m
    while e:
        if e & 1:
            r = r * b % m
        b = b * b % m
        e >>= 1
    return r
for b, e, m in [(2, 100, 97), (7, 12345, 1009), (123456789, 10 ** 12, 998244353)]:
    print(modexp(b, e, m), pow(b, e, m))
print(abs(-3), abs(-3.5), abs(3 + 4j), abs(-(2 ** 80)), abs(True))
