# Descriptor protocol: __get__/__set__/__delete__/__set_name__, data vs non-data descriptors
class Typed:
    def __set_name__(self, owner, name):
        self.name = "_" + name
        print("  __set_name__", owner.__name__, name)
    def __init__(self, kind):
        self.kind = kind
    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.name, None)
    def __set__(self, obj, value):
        if not isinstance(value, self.kind):
            raise TypeError("%s must be %s, got %s" % (self.name[1:], self.kind.__name__, type(value).__name__))
        setattr(obj, self.name, value)
    def __delete__(self, obj):
        print("  deleting", self.name[1:])
        delattr(obj, self.name)
class Person:
    name = Typed(str)
    age = Typed(int)
    def __init__(self, name, age):
        self.name = name
        self.age = age
p = Person("ann", 30)
print(p.name, p.age, type(Person.name).__name__)
try:
    p.age = "old"
except TypeError as e:
    print("TypeError:", e)
p.age += 1
print(p.age)
del p.age
print(p.age)
class NonData:
    def __get__(self, obj, objtype=None):
        return "from descriptor"
class Holder:
    attr = NonData()
h = Holder()
print(h.attr)
h.__dict__["attr"] = "from instance dict"
print(h.attr, Holder.attr)
class Data:
    def __get__(self, obj, objtype=None):
        return "data descriptor wins"
    def __set__(self, obj, v):
        obj.__dict__["d"] = v
class Holder2:
    d = Data()
h2 = Holder2()
h2.d = "stored"
print(h2.d, h2.__dict__)
class Lazy:
    def __init__(self, fn):
        self.fn = fn
        self.name = fn.__name__
    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        v = self.fn(obj)
        obj.__dict__[self.name] = v
        return v
class Circle:
    def __init__(self, r):
        self.r = r
    @Lazy
    def area(self):
        print("  computing area")
        return 3.14159 * self.r ** 2
c = Circle(2)
print(c.area, c.area, "area" in c.__dict__)
