# round(): banker's rounding, ndigits, negative ndigits, ints and floats
for v in [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2.675, 1.005]:
    print(v, round(v), round(v, 1), round(v, 2))
for v in [123.456, -123.456, 0.0, 1e-5, 99.995, 1234567.891]:
    print(v, round(v, 0), round(v, 1), round(v, 2), round(v, -1), round(v, -2))
for n in [0, 5, 15, 25, 35, 45, 125, -125, 1234, -1234, 10 ** 20 + 5 * 10 ** 18]:
    print(n, round(n), round(n, -1), round(n, -2), round(n, 2))
print(type(round(2.5)).__name__, type(round(2.5, 0)).__name__, type(round(7, -1)).__name__)
print(round(1e300, -300), round(1.5e-300, 300))
print(round(0.1 + 0.2, 15), round(0.1 + 0.2, 16), round(0.1 + 0.2, 17))
print(round(-0.4), round(-0.6), round(0.6), repr(round(-0.4, 0)))
class R:
    def __round__(self, n=None):
        return "rounded with %r" % (n,)
print(round(R()), round(R(), 3))
try:
    round(float("inf"))
except OverflowError as e:
    print("OverflowError:", e)
try:
    round(float("nan"))
except ValueError as e:
    print("ValueError:", e)
print(round(float("inf"), 2), round(float("nan"), 2))
vals = [i / 8 for i in range(-12, 13)]
print([round(v) for v in vals])
print([round(v, 1) for v in vals])
print(sum(round(i * 0.1, 1) for i in range(20)))
