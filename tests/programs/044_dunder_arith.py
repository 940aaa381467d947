# __add__/__radd__/__sub__/__rsub__/__mul__/__truediv__ etc., NotImplemented
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __add__(self, other):
        if isinstance(other, Money):
            return Money(self.cents + other.cents)
        if isinstance(other, int):
            return Money(self.cents + other)
        return NotImplemented
    def __radd__(self, other):
        print("  __radd__ with", other)
        return self.__add__(other)
    def __sub__(self, other):
        return Money(self.cents - (other.cents if isinstance(other, Money) else other))
    def __rsub__(self, other):
        return Money(other - self.cents)
    def __mul__(self, k):
        return Money(self.cents * k)
    __rmul__ = __mul__
    def __truediv__(self, k):
        return Money(self.cents // k)
    def __floordiv__(self, k):
        return self.cents // k
    def __mod__(self, k):
        return Money(self.cents % k)
    def __pow__(self, k):
        return self.cents ** k
    def __neg__(self):
        return Money(-self.cents)
    def __abs__(self):
        return Money(abs(self.cents))
    def __repr__(self):
        return "Money(%d)" % self.cents
a = Money(150)
b = Money(275)
print(a + b, a + 5, 5 + a, b - a, 1000 - a, a * 3, 3 * a)
print(b / 2, b // 7, b % 100, a ** 2, -a, abs(Money(-9)))
print(sum([a, b, Money(1)]))
print(sum([a, b], Money(0)))
try:
    a + "str"
except TypeError as e:
    print("TypeError:", e)
class Vec:
    def __init__(self, *c):
        self.c = c
    def __add__(self, o):
        return Vec(*[x + y for x, y in zip(self.c, o.c)])
    def __matmul__(self, o):
        return sum(x * y for x, y in zip(self.c, o.c))
    def __lshift__(self, n):
        return Vec(*(self.c[n:] + self.c[:n]))
    def __and__(self, o):
        return Vec(*[x & y for x, y in zip(self.c, o.c)])
    def __or__(self, o):
        return Vec(*[x | y for x, y in zip(self.c, o.c)])
    def __xor__(self, o):
        return Vec(*[x ^ y for x, y in zip(self.c, o.c)])
    def __rshift__(self, n):
        return Vec(*(self.c[-n:] + self.c[:-n]))
    def __repr__(self):
        return "Vec%r" % (self.c,)
v = Vec(1, 2, 3)
w = Vec(4, 5, 6)
print(v + w, v @ w, v << 1, v >> 1, v & w, v | w, v ^ w)
class Left:
    def __add__(self, o):
        return NotImplemented
class Right:
    def __radd__(self, o):
        return "Right.__radd__ handled " + type(o).__name__
print(Left() + Right())
class SubMoney(Money):
    def __radd__(self, other):
        return "SubMoney.__radd__ wins"
print(Money(1) + SubMoney(2))
