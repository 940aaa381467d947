# callable(), type() with 1 and 3 args, type names, __class__
def f():
    pass
class C:
    def m(self):
        pass
    @staticmethod
    def s():
        pass
class CallMe:
    def __call__(self):
        return "called"
items = [f, C, C(), C().m, C.s, len, print, int, 5, "s", lambda: 1, CallMe(), None, type]
print([callable(x) for x in items])
for v in [1, 1.0, "s", b"b", [], (), {}, set(), None, True, 1j, range(1), f, C, C()]:
    print(type(v).__name__, type(v) is v.__class__)
print(type(C()) is C, type(C) is type, C().__class__.__name__, C.__class__.__name__)
Dyn = type("Dyn", (object,), {"x": 5, "get": lambda self: self.x * 2})
d = Dyn()
print(Dyn.__name__, d.x, d.get(), type(d).__name__, isinstance(d, Dyn))
Sub = type("Sub", (Dyn,), {"x": 7})
print(Sub().get(), [k.__name__ for k in Sub.__mro__])
def init(self, v):
    self.v = v
Holder = type("Holder", (), {"__init__": init, "__repr__": lambda self: "Holder(%r)" % self.v})
print(Holder(3), [Holder(i) for i in range(2)])
print(type(1)(5), type("x")(12), type([])((1, 2)), type(1.5)("2.5"))
print(type(None)() is None, type(True)(0), type(...).__name__, ... is Ellipsis)
print(int.__name__, str.__qualname__, C.m.__qualname__, f.__qualname__)
print(type(C().m).__name__, type(C.m).__name__, type(C.s).__name__, type(len).__name__)
print(C.__module__, f.__module__, type(f).__name__)
class Meta(type):
    def __call__(cls, *a):
        return "Meta intercepted %s%r" % (cls.__name__, a)
class Odd(metaclass=Meta):
    pass
print(Odd(1, 2), type(Odd).__name__, isinstance(Odd, type))
print(callable(Odd), callable(Meta), type(Meta).__name__)
