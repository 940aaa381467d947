# isinstance / issubclass with builtins, tuples, user classes, bool/int
print(isinstance(1, int), isinstance(True, int), isinstance(True, bool), isinstance(1, bool))
print(isinstance(1.0, float), isinstance(1, float), isinstance("s", str), isinstance(b"b", bytes))
print(isinstance([], list), isinstance((), tuple), isinstance({}, dict), isinstance(set(), set))
print(isinstance(None, type(None)), isinstance(int, type), isinstance(type, type), isinstance(type, object))
print(isinstance(1, (str, int)), isinstance(1, (str, (list, int))), isinstance(1, ()))
print(issubclass(bool, int), issubclass(int, bool), issubclass(int, object), issubclass(int, int))
print(issubclass(KeyError, LookupError), issubclass(KeyError, (ValueError, Exception)))
print(issubclass(ZeroDivisionError, ArithmeticError), issubclass(StopIteration, Exception))
print(issubclass(KeyboardInterrupt, Exception), issubclass(KeyboardInterrupt, BaseException))
print(issubclass(SystemExit, Exception), issubclass(GeneratorExit, BaseException))
class A:
    pass
class B(A):
    pass
class C(B):
    pass
class Other:
    pass
objs = [A(), B(), C(), Other()]
for o in objs:
    print(type(o).__name__, isinstance(o, A), isinstance(o, B), isinstance(o, C), isinstance(o, object))
print(issubclass(C, A), issubclass(A, C), issubclass(C, (Other, B)), issubclass(Other, object))
try:
    isinstance(1, "int")
except TypeError as e:
    print("TypeError:", e)
try:
    issubclass(1, int)
except TypeError as e:
    print("TypeError:", e)
def kind(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, (list, tuple)):
        return "seq[%s]" % ",".join(kind(x) for x in v)
    if isinstance(v, dict):
        return "dict"
    return "other:" + type(v).__name__
print([kind(v) for v in [True, 3, 2.5, [1, (2.0, False)], {}, "s", None]])
print(isinstance(A, type), isinstance(A(), type), type(A) is type, type(type) is type)
print(isinstance(len, object), isinstance(print, type), callable(isinstance))
print(issubclass(type(range(1)), object), type(range(1)).__name__, type(len).__name__)
print(type(lambda: 0).__name__, type((x for x in [])).__name__, type(kind).__name__)
