# Chained comparisons, evaluated once
calls = []
def f(x):
    calls.append(x)
    return x
print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 > 1, 1 == 1 == 1, 1 == 1 != 2)
print(f(1) < f(2) < f(3), calls)
calls.clear()
print(f(3) < f(2) < f(1), calls)
calls.clear()
print(f(1) < f(5) > f(2) != f(7), calls)
calls.clear()
x = 5
print(0 <= x < 10, 0 <= x < 5, -1 < x <= 5)
print(1 < 2 > 0 < 3 >= 3 <= 4 == 4 != 5)
for v in range(-2, 12, 3):
    if 0 <= v < 10:
        print(v, "in range")
    else:
        print(v, "out of range")
a, b, c = 1, 2, 3
print(a < b < c, a < c < b, c > b > a, a is a is a, a in [1] in [[1]])
print(1 in [1, 2] in [[1, 2]], 3 not in [1] not in [[2]])
def g(v):
    calls.append(v)
    return v
calls.clear()
r = g(1) < g(0) < g(9)
print(r, calls)
calls.clear()
r = g(1) < g(2) < g(3) < g(4)
print(r, calls)
print("a" < "b" < "c" < "d", "a" < "c" < "b")
print(1 < 2.5 < 3 == 3.0)
l = [3, 1, 4, 1, 5, 9, 2, 6]
print([i for i in l if 2 <= i <= 5])
