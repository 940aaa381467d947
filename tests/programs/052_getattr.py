# __getattr__, __getattribute__, __setattr__, __delattr__, dynamic attributes
class Dyn:
    def __init__(self):
        self.real = "real value"
    def __getattr__(self, name):
        print("  __getattr__", name)
        if name.startswith("auto_"):
            return name[5:] * 2
        raise AttributeError("no attribute " + name)
d = Dyn()
print(d.real)
print(d.auto_ab)
print(getattr(d, "missing", "default"), hasattr(d, "auto_x"), hasattr(d, "nope"))
class Recorder:
    def __init__(self):
        object.__setattr__(self, "log", [])
    def __setattr__(self, name, value):
        self.log.append(("set", name, value))
        object.__setattr__(self, name, value)
    def __delattr__(self, name):
        self.log.append(("del", name))
        object.__delattr__(self, name)
rec = Recorder()
rec.a = 1
rec.b = [2]
rec.a += 10
del rec.b
print(rec.log, rec.a)
class Proxy:
    def __init__(self, target):
        self._target = target
    def __getattr__(self, name):
        return getattr(self._target, name)
p = Proxy([3, 1, 2])
p.append(0)
p.sort()
print(p._target, p.count(1), p.index(3))
class Counting:
    def __init__(self):
        self.hits = 0
    def __getattribute__(self, name):
        if name != "hits":
            object.__setattr__(self, "hits", object.__getattribute__(self, "hits") + 1)
        return object.__getattribute__(self, name)
    def method(self):
        return "m"
c = Counting()
c.method()
c.method()
_ = c.hits
print(c.hits)
class Fallback:
    x = 1
    def __getattribute__(self, name):
        if name == "boom":
            raise AttributeError(name)
        return object.__getattribute__(self, name)
    def __getattr__(self, name):
        return "fallback for " + name
f = Fallback()
print(f.x, f.boom, f.other)
class Attrs:
    pass
a = Attrs()
for i in range(3):
    setattr(a, "f%d" % i, i * i)
print(sorted(vars(a).items()), a.f2)
delattr(a, "f1")
print(sorted(a.__dict__))
