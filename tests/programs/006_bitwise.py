# Bitwise operators: & | ^ ~ << >>
vals = [0, 1, 5, 12, 255, -1, -8, 1023]
for a in vals:
    print(a, ~a, a << 2, a >> 1, a & 0xF, a | 0x10, a ^ 0xFF)
print(6 & 3, 6 | 3, 6 ^ 3)
print(-6 & 3, -6 | 3, -6 ^ 3)
print(-6 & -3, -6 | -3, -6 ^ -3)
print(1 << 0, 1 << 10, 1 << 40, 1 << 70)
print(-1 >> 5, -100 >> 3, 100 >> 10, -1 << 3)
print(True & False, True | False, True ^ True, ~True, ~False)
print(bin(0b1010 & 0b0110), bin(0b1010 | 0b0110), bin(0b1010 ^ 0b0110))
def popcount(n):
    c = 0
    while n:
        n &= n - 1
        c += 1
    return c
for n in [0, 1, 7, 8, 255, 1023, 2 ** 40 - 1]:
    print(n, popcount(n), bin(n).count("1"))
def reverse_bits(n, width):
    r = 0
    for i in range(width):
        if n & (1 << i):
            r |= 1 << (width - 1 - i)
    return r
for n in range(8):
    print(n, reverse_bits(n, 3), format(reverse_bits(n, 8), "08b"))
mask = 0
for i in range(0, 16, 3):
    mask |= 1 << i
print(mask, hex(mask), bin(mask))
x = 0xDEADBEEF
print(x & 0xFFFF, (x >> 16) & 0xFFFF, hex(x ^ 0xFFFFFFFF))
print(~0xDEADBEEF, ~-1, ~0)
print((5 & 3) | (8 ^ 2) << 1)
print(1 | 2 ^ 3 & 4)
