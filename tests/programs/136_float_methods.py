# float methods: is_integer, as_integer_ratio, hex/fromhex, __round__, __trunc__, real/imag
for f in [0.0, 1.0, -2.5, 0.1, 1e20, 3.0, 1 / 3, 123.456]:
    print(repr(f), f.is_integer(), f.as_integer_ratio(), f.hex(), f.real, f.imag, f.conjugate())
for h in ["0x1p0", "0x1.8p1", "-0x1.0p-2", "0x1.999999999999ap-4", "0x0p0", "inf"]:
    print(h, float.fromhex(h))
print(float.fromhex((0.1).hex()) == 0.1, (2.5).__round__(), (3.5).__round__(), (2.675).__round__(2))
print((3.7).__trunc__(), (-3.7).__trunc__(), (3.7).__floor__() if hasattr(3.7, "__floor__") else "n/a")
print((1.5).__add__(1), (1.5).__mul__(2), (1.5).__radd__(1), (7.0).__floordiv__(2), (7.0).__mod__(2))
print((1.0).__eq__(1), (1.0).__lt__(2), (1.0).__add__("x"), (2.0).__pow__(0.5))
print(float.__name__, (0.5).__hash__() == hash(0.5), (1e300).__mul__(1e10))
try:
    (1.5).as_integer_ratio()
    float("inf").as_integer_ratio()
except OverflowError as e:
    print("OverflowError:", e)
try:
    float("nan").as_integer_ratio()
except ValueError as e:
    print("ValueError:", e)
try:
    float.fromhex("0xzz")
except ValueError as e:
    print("ValueError:", e)
n, d = (0.1).as_integer_ratio()
print(n, d, n / d == 0.1, d.bit_length())
print(sum(1 for i in range(100) if (i / 4).is_integer()))
print((-0.0).is_integer(), (2 ** 60 * 1.0).is_integer(), (1e-300).is_integer())
print(float(1).__repr__(), (1e16).__str__(), (1.25).__format__(".1f"), (1.35).__format__(".1f"))
