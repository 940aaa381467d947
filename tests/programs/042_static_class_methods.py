# staticmethod and classmethod, alternative constructors, inheritance
class Date:
    def __init__(self, y, m, d):
        self.y, self.m, self.d = y, m, d
    @classmethod
    def from_string(cls, s):
        y, m, d = map(int, s.split("-"))
        return cls(y, m, d)
    @staticmethod
    def is_leap(y):
        return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    def __repr__(self):
        return "%s(%d, %d, %d)" % (type(self).__name__, self.y, self.m, self.d)
class MyDate(Date):
    pass
print(Date.from_string("2024-02-29"), MyDate.from_string("1999-12-31"))
print([y for y in range(1896, 1910) if Date.is_leap(y)], Date.is_leap(2000), Date.is_leap(1900))
d = Date(2020, 1, 1)
print(d.is_leap(2020), d.from_string("2001-1-1"))
class Registry:
    items = []
    @classmethod
    def register(cls, x):
        cls.items = cls.items + [x]
        return cls
    @classmethod
    def count(cls):
        return len(cls.items)
class SubReg(Registry):
    pass
Registry.register("a").register("b")
SubReg.register("c")
print(Registry.items, SubReg.items, Registry.count(), SubReg.count())
class Math:
    @staticmethod
    def add(a, b):
        return a + b
    @staticmethod
    def fact(n):
        return 1 if n < 2 else n * Math.fact(n - 1)
print(Math.add(2, 3), Math().add(4, 5), Math.fact(10))
sm = staticmethod(lambda x: x * 2)
class Holder:
    double = sm
    triple = classmethod(lambda cls, x: (cls.__name__, x * 3))
print(Holder.double(21), Holder().double(4), Holder.triple(3), Holder().triple(1))
print(type(Date.__dict__["is_leap"]).__name__, type(Date.__dict__["from_string"]).__name__)
class Counter:
    _n = 0
    @classmethod
    def next_id(cls):
        cls._n += 1
        return cls._n
class OtherCounter(Counter):
    pass
print(Counter.next_id(), Counter.next_id(), OtherCounter.next_id(), Counter.next_id())
print(Counter._n, OtherCounter._n)
