# __new__, __init_subclass__, __class_getitem__-free class machinery, metaclass basics
class Singleton:
    _inst = None
    def __new__(cls, *args):
        if cls._inst is None:
            print("  creating instance")
            cls._inst = super().__new__(cls)
        return cls._inst
    def __init__(self, v):
        self.v = v
a = Singleton(1)
b = Singleton(2)
print(a is b, a.v)
class Upper(str):
    def __new__(cls, s):
        return super().__new__(cls, s.upper())
u = Upper("hello")
print(u, type(u).__name__, isinstance(u, str), u + "!", len(u))
class Positive(int):
    def __new__(cls, v):
        return super().__new__(cls, abs(v))
p = Positive(-5)
print(p, p + 1, type(p + 1).__name__, type(p).__name__)
class Plugin:
    registry = []
    def __init_subclass__(cls, name=None, **kw):
        super().__init_subclass__(**kw)
        cls.plugin_name = name or cls.__name__.lower()
        Plugin.registry.append(cls)
class Alpha(Plugin):
    pass
class Beta(Plugin, name="the-beta"):
    pass
class Gamma(Beta):
    pass
print([(c.__name__, c.plugin_name) for c in Plugin.registry])
class Meta(type):
    def __new__(mcls, name, bases, ns):
        ns["created_by"] = mcls.__name__
        ns["field_names"] = sorted(k for k in ns if not k.startswith("_"))
        return super().__new__(mcls, name, bases, ns)
class Model(metaclass=Meta):
    a = 1
    b = 2
    def method(self):
        pass
print(Model.created_by, Model.field_names, type(Model).__name__)
class Sub(Model):
    c = 3
print(Sub.field_names, type(Sub).__name__)
class Pt(tuple):
    def __new__(cls, x, y):
        return super().__new__(cls, (x, y))
    @property
    def x(self):
        return self[0]
    def __repr__(self):
        return "Pt(%r, %r)" % self
pt = Pt(3, 4)
print(pt, pt.x, pt[1], len(pt), pt == (3, 4), sum(pt))
class MyList(list):
    def append(self, v):
        super().append(v * 10)
ml = MyList([1, 2])
ml.append(3)
print(ml, len(ml), type(ml).__name__, ml + [0], type(ml + [0]).__name__)
class MyDict(dict):
    def __missing__(self, k):
        return "default-" + str(k)
md = MyDict(a=1)
print(md["a"], md["zz"], md.get("zz"), "zz" in md)
