# Float arithmetic and mixed int/float
a = 7.5
b = 2.0
print(a + b, a - b, a * b, a / b)
print(a // b, a % b, a ** b)
print(-a // b, -a % b, a // -b, a % -b)
print(0.1 + 0.2, 0.1 * 3, 1.0 - 0.9)
print(1 / 3, 2 / 3, 10 / 3)
print(3 + 0.5, 3 * 0.5, 3 - 0.5, 3 / 0.5)
print(2 ** 0.5, 9 ** 0.5, 8 ** (1 / 3))
print(1e10, 1e16, 1e17, 1.5e-5, 1e-4)
print(123456789.123456789, 0.000123)
print(float(3), float("2.5"), float("-0.0"), float(" 1e3 "))
print(int(3.99), int(-3.99), int(1e15))
print(-0.0, 0.0 == -0.0, 1.0 == 1, 2.5 > 2)
print(5.0 % 3, -5.0 % 3, 5.0 % -3, -5.0 % -3)
print(5.5 // 2, -5.5 // 2)
x = 0.0
for i in range(10):
    x += 0.1
print(x, x == 1.0, abs(x - 1.0) < 1e-9)
v = 1.0
for i in range(30):
    v = v * 1.5
print(v)
v = 1.0
for i in range(30):
    v = v / 3.0
print(v)
print(float("inf") > 1e308, -float("inf") < -1e308)
print(1.0 / 8, 3.0 / 8, 7.0 / 16)
print(1e300 * 10, 2.0 ** 100, 10.0 ** 20, 10.0 ** 21)
print(abs(-2.5), -(-2.5), +(-2.5))
vals = [1.25, -3.75, 100.0, 1e-7, 123456.789]
for v in vals:
    print(v, v * 2, v / 4, v // 1, v % 1)
