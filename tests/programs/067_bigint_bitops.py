# Bitwise operations on big (and negative big) integers
a = 2 ** 100 + 2 ** 50 + 1
b = 2 ** 99 + 2 ** 50 + 2 ** 3
print(a & b, a | b, a ^ b)
print(hex(a & b), hex(a | b), hex(a ^ b))
print(~a, -a - 1 == ~a)
print(a << 37, a >> 37, a >> 200, (-a) >> 37, (-a) >> 200)
print((-a) & 0xFFFF, (-a) | 0xFFFF, (-a) ^ 0xFFFF)
print((-a) & (-b), (-a) | (-b), (-a) ^ (-b))
print(a & -b, a | -b, a ^ -b)
m = (1 << 128) - 1
print(m, hex(m), bin(m).count("1"))
print((a * 3) & m, (-(a * 3)) & m)
x = 0
for i in range(0, 200, 7):
    x |= 1 << i
print(x, bin(x).count("1"), x.bit_length())
print(x >> 100, x & (x - 1), x & -x)
def rotl(v, n, w=64):
    mask = (1 << w) - 1
    return ((v << n) | (v >> (w - n))) & mask
h = 0x0123456789ABCDEF
for n in [1, 8, 17, 63]:
    print(n, hex(rotl(h, n)))
def fnv1a(data):
    hv = 0xCBF29CE484222325
    for ch in data:
        hv ^= ord(ch)
        hv = (hv * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return hv
for s in ["", "a", "hello", "pyreg"]:
    print(repr(s), hex(fnv1a(s)))
print(1 << 1000 >> 998, (1 << 64) - 1 == 0xFFFFFFFFFFFFFFFF)
print(-(1 << 70) >> 3, -(1 << 70) << 3, ~(1 << 70))
print((2 ** 64 - 1) ^ (2 ** 63), (2 ** 65) & (2 ** 65 - 1))
print(int.from_bytes(b"\x01\x02\x03\x04\x05\x06\x07\x08\x09", "big"))
print((2 ** 72 + 5).to_bytes(10, "little"), (-5).to_bytes(2, "big", signed=True))
