# Class attributes that change after they were looked up: a VM that
# remembers lookups along the MRO must see every change.


class Base:
    kind = "base"

    def who(self):
        return "Base.who"


class Child(Base):
    pass


c = Child()
for _ in range(3):
    print(c.kind, c.who())

# A new name in a subclass shadows the base's.
Child.kind = "child"
Child.who = lambda self: "Child.who"
print(c.kind, c.who())

# Replacing a value in place.
for n in range(3):
    Base.kind = "base%d" % n
    print(Base().kind, c.kind)

# Deleting the shadowing names uncovers the base's again.
del Child.kind
del Child.who
print(c.kind, c.who())

# A method added to the base after instances exist.
Base.extra = lambda self: "extra"
print(c.extra())
del Base.extra
try:
    c.extra()
except AttributeError as e:
    print("AttributeError:", e)


# Classes made and dropped in a loop: each one's lookups are its own.
def make(n):
    class K:
        value = n

        def get(self):
            return self.value * 10

    return K()


total = 0
for n in range(50):
    total += make(n).get()
print(total)


# Special methods defined late are found by the operators.
class Num:
    def __init__(self, v):
        self.v = v


a, b = Num(1), Num(2)
try:
    a + b
except TypeError as e:
    print("TypeError:", e)
Num.__add__ = lambda self, other: Num(self.v + other.v)
print((a + b).v)
Num.__repr__ = lambda self: "Num(%d)" % self.v
print(repr(a), [b])
del Num.__add__
try:
    a + b
except TypeError as e:
    print("TypeError:", e)
