# str()/repr()/args of built-in exceptions in various forms
excs = [ValueError(), ValueError("one"), ValueError("a", "b"), ValueError(1, [2]),
        KeyError("k"), KeyError(), KeyError("a", "b"), IndexError("list index out of range"),
        TypeError(None), Exception(""), RuntimeError(42), StopIteration(5), SystemExit(3),
        OSError(2, "No such file"), UnicodeError("u"), AssertionError("msg")]
for e in excs:
    print(type(e).__name__, "| str:", str(e), "| repr:", repr(e), "| args:", e.args)
e = StopIteration("val")
print(e.value)
s = SystemExit("bye")
print(s.code, SystemExit().code, SystemExit(1, 2).code)
o = OSError(13, "Permission denied")
print(o.errno, o.strerror, str(o))
try:
    {}["missing key"]
except KeyError as ke:
    print(str(ke), repr(ke), ke.args)
try:
    [1, 2][5]
except IndexError as ie:
    print(str(ie))
try:
    int("zz")
except ValueError as ve:
    print(str(ve))
try:
    None + 1
except TypeError as te:
    print(str(te))
try:
    "abc".nope
except AttributeError as ae:
    print(str(ae))
try:
    unknown_variable
except NameError as ne:
    print(str(ne))
err = ValueError("mutable")
err.args = ("changed", 2)
print(err, err.args)
err.extra = "attached"
print(err.extra)
print(isinstance(err, BaseException), BaseException("base").args)
print(str(ZeroDivisionError("division by zero")), repr(ZeroDivisionError()))
