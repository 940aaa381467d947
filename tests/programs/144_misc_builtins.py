# Miscellaneous builtins: abs, bool, all, ascii, bin, format, repr, vars, slice, sorted on dicts, etc.
print(abs(-7), abs(7.5), abs(-0.0), bool(), int(), float(), str(), list(), tuple(), dict())
print(list(map(bool, [0, 1, "", "0", [], {}, None, 0.0, -1])))
print(format(3.14159, ".3f"), format(42, "06d"), format("s", "^5"), format(True))
print(repr([1, "a"]), ascii("ü"), bin(10), oct(10), hex(10))
s = slice(1, 10, 2)
print(s, s.start, s.stop, s.step, list(range(20))[s], "abcdefghijk"[s])
print(divmod(17, 5), pow(2, 8), round(2.567, 2), sum([1, 2]), max("abc"), min(3, 1))
print(list(range(3)), list(reversed([1, 2])), sorted("cba"), list(enumerate("ab")))
print(list(zip("ab", "cd")), list(map(str.upper, "ab")), list(filter(str.isalpha, "a1b")))
print(chr(65), ord("A"), hash(1), type(3).__name__, callable(abs), id(1) == id(1))
print(isinstance(3, int), issubclass(bool, int), hasattr("", "split"), getattr(3, "real"))
print(any([0, 1]), all([1, 1]), iter([1]).__next__(), next(iter("z")))
print(frozenset([1]), set([1]) == {1}, bytes(2), bytearray(1))
print(complex(1, 1), object().__class__.__name__, type(None).__name__, NotImplemented, Ellipsis)
print(sorted({"b": 1, "a": 2}.items()), max({"x": 3, "y": 5}, key=lambda k: {"x": 3, "y": 5}[k]))
print(len(str(2 ** 1000)), str(1.0), str(-1), str(0), int("0"), float("0"))
print(round(-0.5), round(0.5), round(1.5), abs(-2 ** 63), 2 ** 63 - 1)
class Box:
    def __init__(self):
        self.a = 1
        self.b = [2]
print(sorted(vars(Box()).items()), vars(Box()) == Box().__dict__)
print(list(map(abs, range(-3, 1))), [bool(x) for x in (0.0, -0.0, 1e-300)])
print(sum(range(10), start=100), max([], default="nothing"), min("zyx", key=ord))
print(tuple(enumerate(reversed("abc"), start=1)), dict(zip(range(3), "xyz")))
print(str(bytes([104, 105]), "ascii"), list(b"hi"), bytearray(b"ab") + b"c")
