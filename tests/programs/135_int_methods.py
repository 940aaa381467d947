# int methods and properties: bit_length, to_bytes/from_bytes, as_integer_ratio, real/imag, conjugate
for n in [0, 1, 2, 255, 256, -1, -256, 2 ** 64, -(2 ** 64) - 1]:
    print(n, n.bit_length(), n.as_integer_ratio(), n.real, n.imag, n.conjugate(), n.numerator, n.denominator)
print((1024).to_bytes(4, "big"), (1024).to_bytes(4, "little"), (-1).to_bytes(2, "big", signed=True))
print(int.from_bytes(b"\xff\xff", "big"), int.from_bytes(b"\xff\xff", "big", signed=True))
print(int.from_bytes(b"\x01\x00", "little"), int.from_bytes(b"", "big"), int.from_bytes([1, 2, 3], "big"))
try:
    (256).to_bytes(1, "big")
except OverflowError as e:
    print("OverflowError:", e)
try:
    (-1).to_bytes(1, "big")
except OverflowError as e:
    print("OverflowError:", e)
for n in [0, 1, 12345, 2 ** 100 + 12345]:
    b = n.to_bytes((n.bit_length() + 7) // 8 or 1, "big")
    print(n, b.hex(), int.from_bytes(b, "big") == n)
print(int.__name__, (5).__add__(3), (5).__sub__(3), (5).__mul__(3), (7).__floordiv__(2), (7).__mod__(3))
print((5).__radd__(1), (2).__pow__(10), (5).__neg__(), (5).__abs__(), (5).__bool__(), (0).__bool__())
print((3).__lt__(4), (3).__eq__(3.0), (3).__add__(1.5), (7).__truediv__(2), (5).__index__())
print(int(5).__hash__() == hash(5), (10).__format__("x"), (10).__str__(), (10).__repr__())
print(sum(n.bit_length() for n in range(1000)))
print([(1 << k) - 1 for k in range(8)], [((1 << k) - 1).bit_length() for k in range(8)])
print(True.bit_length(), (True + 0).as_integer_ratio(), int.real.__class__.__name__)
print((-7).__floordiv__(2), (-7).__mod__(2), (7).__divmod__(-2), (7).__rshift__(1), (7).__lshift__(3))
print((6).__and__(3), (6).__or__(3), (6).__xor__(3), (6).__invert__())
