# Class definition, instances, methods, __init__, class attributes
class Dog:
    species = "canis"
    count = 0
    def __init__(self, name, age=1):
        self.name = name
        self.age = age
        Dog.count += 1
    def bark(self):
        return self.name + " says woof"
    def birthday(self):
        self.age += 1
        return self
    def describe(self):
        return "%s (%d) is a %s" % (self.name, self.age, self.species)
d1 = Dog("Rex")
d2 = Dog("Fido", 5)
print(d1.bark(), d2.bark())
print(d1.describe(), d2.birthday().birthday().describe())
print(Dog.count, d1.count, d2.species)
print(type(d1).__name__, Dog.__name__, type(d1) is Dog, isinstance(d2, Dog))
print(Dog.bark(d2), Dog.__qualname__)
bound = d1.bark
print(bound())
d1.name = "Max"
print(bound())
class Empty:
    pass
e = Empty()
e.x = 1
print(e.x, type(e).__name__, Empty.__bases__[0].__name__)
class WithDoc:
    "A docstring."
    value = [i * 2 for i in range(3)]
print(WithDoc.__doc__, WithDoc.value)
def make_class(n):
    class Local:
        size = n
        def get(self):
            return self.size * 2
    return Local
A = make_class(3)
B = make_class(5)
print(A().get(), B().get(), A.__qualname__)
class Stack:
    def __init__(self):
        self._items = []
    def push(self, x):
        self._items.append(x)
    def pop(self):
        return self._items.pop()
    def empty(self):
        return not self._items
s = Stack()
for i in range(5):
    s.push(i * i)
out = []
while not s.empty():
    out.append(s.pop())
print(out)
print(sorted(k for k in Dog.__dict__ if not k.startswith("__")))
print(getattr(d1, "age"), Dog.__module__)
