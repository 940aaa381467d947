# raise X from Y in functions, custom exceptions with cause, raise class vs instance
class AppError(Exception):
    pass
class ConfigError(AppError):
    def __init__(self, key, msg):
        super().__init__("%s: %s" % (key, msg))
        self.key = key
def parse(value):
    try:
        return int(value)
    except ValueError as e:
        raise ConfigError("port", "not a number") from e
def load(values):
    out = []
    for v in values:
        try:
            out.append(parse(v))
        except ConfigError as e:
            print("ConfigError", e, "| key:", e.key, "| cause:", type(e.__cause__).__name__, e.__cause__)
            out.append(None)
    return out
print(load(["80", "abc", "443", ""]))
try:
    raise AppError from KeyError("k")
except AppError as e:
    print(repr(e), repr(e.__cause__))
try:
    raise AppError("x") from ValueError
except AppError as e:
    print(repr(e.__cause__), type(e.__cause__).__name__)
try:
    raise KeyError("a") from None
except KeyError as e:
    print(e.__cause__, e.__suppress_context__, e.__context__)
try:
    raise ValueError from 5
except TypeError as e:
    print("TypeError:", e)
try:
    raise 42
except TypeError as e:
    print("TypeError:", e)
def reraiser():
    try:
        raise IndexError("orig")
    except IndexError as e:
        err = e
    raise RuntimeError("later") from err
try:
    reraiser()
except RuntimeError as e:
    print(e, "<-", repr(e.__cause__), e.__context__ is None)
class Wrapped(Exception):
    def __str__(self):
        return "Wrapped(%s)" % ", ".join(map(str, self.args))
try:
    raise Wrapped(1, 2, "three")
except Wrapped as e:
    print(e, e.args, len(e.args))
try:
    raise
except RuntimeError as e:
    print("bare raise with no active exception:", e)
