# Class decorators, method decorators, decorator adding methods
def add_repr(cls):
    def __repr__(self):
        fields = ", ".join("%s=%r" % (k, v) for k, v in self.__dict__.items())
        return "%s(%s)" % (cls.__name__, fields)
    cls.__repr__ = __repr__
    return cls
@add_repr
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
print(Point(1, 2), [Point(0, "a")])
def singleton(cls):
    instances = {}
    def get(*a):
        if cls not in instances:
            instances[cls] = cls(*a)
        return instances[cls]
    return get
@singleton
class Config:
    def __init__(self, v):
        self.v = v
c1 = Config(1)
c2 = Config(2)
print(c1 is c2, c1.v, c2.v)
def logged(method):
    def wrapper(self, *a):
        print("  ->", type(self).__name__ + "." + method.__name__, a)
        return method(self, *a)
    return wrapper
class Account:
    def __init__(self):
        self.balance = 0
    @logged
    def deposit(self, amt):
        self.balance += amt
        return self.balance
    @logged
    def withdraw(self, amt):
        self.balance -= amt
        return self.balance
a = Account()
print(a.deposit(100), a.withdraw(30), a.balance)
def with_counter(cls):
    orig_init = cls.__init__
    cls.created = 0
    def __init__(self, *a, **k):
        cls.created += 1
        orig_init(self, *a, **k)
    cls.__init__ = __init__
    return cls
@with_counter
class Widget:
    def __init__(self, name):
        self.name = name
ws = [Widget(n) for n in "abc"]
print(Widget.created, [w.name for w in ws])
def ordered(cls):
    cls.__le__ = lambda s, o: s < o or s == o
    cls.__gt__ = lambda s, o: not s <= o
    cls.__ge__ = lambda s, o: not s < o
    return cls
@ordered
class Num:
    def __init__(self, v):
        self.v = v
    def __lt__(self, o):
        return self.v < o.v
    def __eq__(self, o):
        return self.v == o.v
x, y = Num(1), Num(2)
print(x < y, x <= y, x > y, x >= y, x == Num(1), y >= Num(2))
