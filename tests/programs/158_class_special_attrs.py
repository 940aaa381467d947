# Special attributes of classes, functions and methods
class Base:
    """Base docstring."""
    x = 1
    def method(self, a, b=2, *args, key=None, **kw):
        """Method doc."""
        local_var = a
        return local_var
class Child(Base):
    class Inner:
        pass
print(Base.__name__, Child.__qualname__, Child.Inner.__qualname__, Base.__doc__, Child.__doc__)
print(Child.__bases__, Child.__base__ is Base, Base.__bases__[0] is object)
print([c.__name__ for c in Child.__mro__], Child.__module__)
print(sorted(k for k in Base.__dict__ if not k.startswith("__")), "x" in Child.__dict__)
m = Base.method
print(m.__name__, m.__qualname__, m.__doc__, m.__defaults__, m.__kwdefaults__)
co = m.__code__
print(co.co_name, co.co_argcount, co.co_kwonlyargcount, co.co_varnames[:4], co.co_nlocals)
print(bool(co.co_flags & 0x04), bool(co.co_flags & 0x08))
b = Base()
bm = b.method
print(bm.__self__ is b, bm.__func__ is Base.method, bm.__name__, bm(10))
print(b.__class__ is Base, b.__class__.__class__ is type, b.__dict__, type(b.__dict__).__name__)
def free():
    pass
print(free.__name__, free.__qualname__, free.__doc__, free.__defaults__, free.__module__)
lam = lambda q: q
print(lam.__name__, lam.__code__.co_argcount)
def outer():
    def nested():
        pass
    return nested
print(outer().__qualname__, outer.__code__.co_consts[1].__class__.__name__ if False else "skip")
print(Base.__subclasses__() == [Child], issubclass(Child, Base))
free.__doc__ = "assigned doc"
free.__name__ = "renamed"
print(free.__doc__, free.__name__, free.__qualname__)
print(int.__name__, int.__module__ if False else "builtins", len.__name__, type(len).__name__)
print(hasattr(Base, "__init__"), Base.__init__ is object.__init__, Child.x, Child().x)
print(Base.__dict__["method"] is Base.method, type(Base.__dict__).__name__)
