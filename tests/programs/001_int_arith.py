# Integer arithmetic: BINARY_ADD/SUBTRACT/MULTIPLY/TRUE_DIVIDE/FLOOR_DIVIDE/MODULO/POWER
a = 17
b = 5
print(a + b, a - b, a * b)
print(a / b, a // b, a % b)
print(a ** b, b ** 3, 2 ** 0)
print(-a // b, -a % b, a // -b, a % -b)
print(-a // -b, -a % -b)
print(0 - a, a - 0, 0 * a)
print(7 / 7, 1 / 4, 10 / 4)
print(2 ** -1, 2 ** -2, 10 ** -3)
print((-2) ** 3, (-2) ** 4, -2 ** 2)
print(1 + 2 * 3 - 4 // 2 % 3)
print((1 + 2) * (3 - 4) // 2)
print(100 // 7 * 7 + 100 % 7)
for x in range(-6, 7, 3):
    for y in (-4, -1, 1, 3):
        print(x, y, x // y, x % y, divmod(x, y))
print(True + True, True * 10, False - 1)
print(int("123") + 1, int("-45") * 2, int("  7  "))
print(abs(-9), abs(9), abs(0))
total = 0
for i in range(1, 101):
    total = total + i * i
print("sum of squares", total)
n = 1
for i in range(20):
    n = n * 3 + 1
print("iterated", n)
print(2 ** 10 - 1, 2 ** 31, 2 ** 63, 2 ** 64)
print(12345 * 6789, 999999 * 999999)
print(0 ** 0, 1 ** 1000, (-1) ** 1001)
