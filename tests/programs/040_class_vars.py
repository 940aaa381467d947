# Class variables vs instance variables, shadowing, mutation through class
class Config:
    defaults = {"debug": False}
    level = 1
    shared = []
    def __init__(self, tag):
        self.tag = tag
    def add(self, x):
        self.shared.append(x)
    def bump(self):
        self.level += 1
a = Config("a")
b = Config("b")
a.add(1)
b.add(2)
print(Config.shared, a.shared is b.shared)
a.bump()
a.bump()
print(a.level, b.level, Config.level)
Config.level = 10
print(a.level, b.level)
del a.level
print(a.level)
a.defaults["debug"] = True
print(b.defaults, Config.defaults)
b.defaults = {"debug": "own"}
print(b.defaults, Config.defaults)
class Counter:
    instances = 0
    def __init__(self):
        Counter.instances += 1
        self.id = Counter.instances
cs = [Counter() for _ in range(4)]
print([c.id for c in cs], Counter.instances)
class Sub(Counter):
    instances = 100
s = Sub()
print(s.id, Sub.instances, Counter.instances)
class Computed:
    values = [1, 2, 3]
    total = sum(values)
    doubled = [v * 2 for v in values]
    names = {str(v): v for v in values}
print(Computed.total, Computed.doubled, Computed.names)
class Order:
    x = 1
    y = x + 1
    x = 5
    z = x + y
print(Order.x, Order.y, Order.z)
class Meta:
    items = []
    for i in range(3):
        items.append(i * 10)
    del i
print(Meta.items, hasattr(Meta, "i"))
class ConstHolder:
    PI = 3.14159
    def area(self, r):
        return self.PI * r * r
print(ConstHolder().area(2), ConstHolder.PI)
