# Single inheritance, overriding, super() with and without args
class Animal:
    def __init__(self, name):
        self.name = name
        print("Animal.__init__", name)
    def speak(self):
        return "..."
    def intro(self):
        return "I am %s and I say %s" % (self.name, self.speak())
class Cat(Animal):
    def __init__(self, name, indoor):
        super().__init__(name)
        self.indoor = indoor
        print("Cat.__init__", indoor)
    def speak(self):
        return "meow"
class Lion(Cat):
    def __init__(self, name):
        super(Lion, self).__init__(name, False)
    def speak(self):
        return super().speak().upper() + "!"
a = Animal("generic")
c = Cat("Tom", True)
l = Lion("Leo")
for x in (a, c, l):
    print(x.intro())
print(isinstance(l, Cat), isinstance(l, Animal), isinstance(c, Lion))
print(issubclass(Lion, Animal), issubclass(Animal, Lion), issubclass(Cat, object))
print([k.__name__ for k in Lion.__mro__])
print(Lion.__bases__[0].__name__, Cat.__base__.__name__)
class Base:
    def __init__(self):
        self.log = ["Base"]
    def method(self):
        return "Base.method"
    @classmethod
    def create(cls):
        return cls()
class Derived(Base):
    def __init__(self):
        super().__init__()
        self.log.append("Derived")
    def method(self):
        return "Derived+" + super().method()
    @classmethod
    def create(cls):
        obj = super().create()
        obj.log.append("created via " + cls.__name__)
        return obj
d = Derived.create()
print(d.log, d.method(), type(d).__name__)
class Shape:
    sides = 0
    def area(self):
        raise NotImplementedError
    def describe(self):
        return "%s with %d sides, area %.2f" % (type(self).__name__, self.sides, self.area())
class Rect(Shape):
    sides = 4
    def __init__(self, w, h):
        self.w, self.h = w, h
    def area(self):
        return self.w * self.h
class Square(Rect):
    def __init__(self, s):
        super().__init__(s, s)
class Tri(Shape):
    sides = 3
    def __init__(self, b, h):
        self.b, self.h = b, h
    def area(self):
        return 0.5 * self.b * self.h
for s in [Rect(2, 3), Square(4), Tri(3, 5)]:
    print(s.describe())
try:
    Shape().describe()
except NotImplementedError:
    print("NotImplementedError raised")
