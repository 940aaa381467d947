# Built-in exception hierarchy and catching by base classes
def trigger(kind):
    if kind == "zero":
        return 1 / 0
    if kind == "key":
        return {}["k"]
    if kind == "index":
        return [][0]
    if kind == "type":
        return 1 + "a"
    if kind == "value":
        return int("v")
    if kind == "attr":
        return None.foo
    if kind == "name":
        return undefined_thing
    if kind == "overflow":
        return 2.0 ** 5000
    if kind == "stop":
        return next(iter([]))
    if kind == "recursion":
        raise RecursionError("simulated")
    if kind == "notimpl":
        raise NotImplementedError("todo")
    if kind == "unicode":
        return b"\xff".decode("utf-8")
bases = [ArithmeticError, LookupError, TypeError, ValueError, AttributeError, NameError, RuntimeError, StopIteration, Exception]
for kind in ["zero", "key", "index", "type", "value", "attr", "name", "overflow", "stop", "recursion", "notimpl", "unicode"]:
    try:
        trigger(kind)
    except Exception as e:
        matched = [b.__name__ for b in bases if isinstance(e, b)]
        print(kind, type(e).__name__, matched)
        print("   msg:", e)
chain = []
cls = UnicodeDecodeError
while cls is not object:
    chain.append(cls.__name__)
    cls = cls.__bases__[0]
print(" -> ".join(chain))
print(issubclass(UnboundLocalError, NameError), issubclass(RecursionError, RuntimeError))
print(issubclass(FileNotFoundError, OSError), issubclass(ModuleNotFoundError, ImportError))
print(issubclass(IndentationError, SyntaxError), issubclass(TabError, IndentationError))
print(issubclass(StopAsyncIteration, Exception), issubclass(BrokenPipeError, ConnectionError))
print(issubclass(DeprecationWarning, Warning), issubclass(Warning, Exception))
print(EnvironmentError is OSError, IOError is OSError)
try:
    try:
        trigger("key")
    except IndexError:
        print("wrong handler")
except LookupError as e:
    print("LookupError caught KeyError:", repr(e))
