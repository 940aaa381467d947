# Floor division and modulo with negative operands: ints, big ints, floats
for a in [7, -7, 0, 1, -1, 13, -13]:
    row = []
    for b in [3, -3, 5, -5, 1, -1]:
        row.append("%d//%d=%d %d%%%d=%d" % (a, b, a // b, a, b, a % b))
    print(" | ".join(row))
for a in [10 ** 20 + 7, -(10 ** 20 + 7)]:
    for b in [3, -3, 10 ** 10 + 1, -(10 ** 10 + 1)]:
        q, r = divmod(a, b)
        print(a, b, q, r, q * b + r == a)
for a in [7.5, -7.5, 0.5, -0.5]:
    for b in [2, -2, 0.3]:
        print(a, b, a // b, a % b, divmod(a, b))
print(-0.0 % 5, 0.0 % -5, -5 % 5, 5 % -5)
print(-1 // 10, -1 % 10, 1 // -10, 1 % -10)
print(int(-7 / 2), -7 // 2, round(-7 / 2))
try:
    1 // 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    1 % 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    1.0 // 0.0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    divmod(5, 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
try:
    1 / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
hours = [-25, -1, 0, 23, 24, 49]
print([h % 24 for h in hours], [h // 24 for h in hours])
print([(-i) % 4 for i in range(8)])
