# getattr/setattr/hasattr/delattr builtins, vars(), dir()-free introspection
class Config:
    debug = False
    def __init__(self):
        self.level = 1
cfg = Config()
print(getattr(cfg, "level"), getattr(cfg, "debug"), getattr(cfg, "nope", "fallback"))
setattr(cfg, "level", 5)
setattr(cfg, "name", "prod")
print(cfg.level, cfg.name, hasattr(cfg, "name"), hasattr(cfg, "missing"))
delattr(cfg, "name")
print(hasattr(cfg, "name"))
try:
    getattr(cfg, "missing")
except AttributeError as e:
    print("AttributeError:", e)
try:
    delattr(cfg, "missing")
except AttributeError as e:
    print("AttributeError:", e)
try:
    getattr(cfg, 5)
except TypeError as e:
    print("TypeError:", e)
fields = ["alpha", "beta", "gamma"]
for i, f in enumerate(fields):
    setattr(cfg, f, i * 10)
print([getattr(cfg, f) for f in fields], sorted(vars(cfg).items()))
method = getattr("hello", "upper")
print(method(), getattr([1, 2, 3], "count")(2), getattr(str, "join")("-", "abc"))
setattr(Config, "debug", True)
print(Config.debug, cfg.debug, getattr(Config, "__name__"))
class Dispatcher:
    def do_add(self, a, b):
        return a + b
    def do_mul(self, a, b):
        return a * b
    def run(self, cmd, *args):
        handler = getattr(self, "do_" + cmd, None)
        if handler is None:
            return "unknown command " + cmd
        return handler(*args)
disp = Dispatcher()
print(disp.run("add", 2, 3), disp.run("mul", 4, 5), disp.run("div", 1, 2))
def fn():
    pass
setattr(fn, "meta", {"k": 1})
print(fn.meta, hasattr(fn, "__call__"), getattr(fn, "__name__"))
try:
    setattr(1, "x", 2)
except AttributeError as e:
    print("AttributeError:", e)
try:
    object().attr = 1
except AttributeError as e:
    print("AttributeError:", e)
class WithGetattr:
    def __getattr__(self, name):
        if name == "bad":
            raise KeyError(name)
        raise AttributeError(name)
w = WithGetattr()
print(hasattr(w, "anything"))
try:
    hasattr(w, "bad")
except KeyError as e:
    print("KeyError propagates through hasattr:", e)
