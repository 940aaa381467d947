# UNARY_POSITIVE/NEGATIVE/NOT/INVERT
for v in [0, 1, -1, 7, -42, 10 ** 20, 2.5, -0.0, True, False]:
    print(repr(v), -v, +v, not v, ~v if not isinstance(v, float) else "n/a")
print(not None, not [], not [0], not "", not "a", not {}, not 0.0)
print(-(-(-5)), --5, ---5, ~~5, not not 5)
class U:
    def __init__(self, v):
        self.v = v
    def __neg__(self):
        return U(-self.v)
    def __pos__(self):
        return U(self.v * 10)
    def __invert__(self):
        return U(self.v ^ 0xFF)
    def __bool__(self):
        return self.v != 0
    def __repr__(self):
        return "U(%d)" % self.v
u = U(3)
print(-u, +u, ~u, not u, not U(0))
print(-(+u), ~(-u))
try:
    print(-"abc")
except TypeError as e:
    print("TypeError", e)
try:
    print(~1.5)
except TypeError as e:
    print("TypeError", e)
x = 5
y = -x
z = +y
w = ~z
print(x, y, z, w)
print(-2 ** 2, (-2) ** 2, -(2 ** 2))
print(- 3 * - 3, -3 - -3)
flag = False
for i in range(4):
    flag = not flag
    print(i, flag)
