# complex numbers: literals, arithmetic, attributes, formatting
z = 3 + 4j
w = 1 - 2j
print(z, w, z + w, z - w, z * w, z / w)
print(z.real, z.imag, z.conjugate(), abs(z), abs(w))
print(z ** 2, z ** 0.5, (1j) ** 2, 1j * 1j, (-1) ** 0.5)
print(complex(2), complex(2, -3), complex("1+2j"), complex("-3.5j"), complex(0, 0))
print(z == 3 + 4j, z != w, 2 + 0j == 2, 1j, -1j, 0j, 1e10j, 1.5 + 0j)
print(repr(complex(0, -0.0)), repr(complex(-0.0, 0)), str(complex(1.5, -2.25)))
try:
    z < w
except TypeError as e:
    print("TypeError:", e)
try:
    int(z)
except TypeError as e:
    print("TypeError:", e)
try:
    z / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
print(hash(1 + 0j) == hash(1), hash(2j) == hash(2j))
roots = []
for k in range(4):
    r = 1j ** k
    roots.append(r)
print(roots)
def mandel(c, limit=50):
    zz = 0j
    for i in range(limit):
        zz = zz * zz + c
        if abs(zz) > 2:
            return i
    return limit
for y in range(-6, 7, 2):
    print("".join("#" if mandel(complex(x / 10, y / 5)) == 50 else "." for x in range(-20, 6)))
print(sum([1 + 1j, 2 + 2j, 3 - 3j]), [c.real for c in (1 + 2j, 3j)])
print(f"{z}", f"{w:.2f}", "{:>12}".format(str(z)), format(1 + 1j, ""))
print((2 + 3j) * (2 - 3j), (1 + 1j) ** 8, complex(1, 1) / complex(1, -1))
print(bool(0j), bool(1j), type(z).__name__, isinstance(z, complex))
