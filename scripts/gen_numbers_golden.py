"""Writes spec/tests/data/numbers_golden.json: results of the methods of
int/bool/float/complex, the math module, complex arithmetic and the
complex() constructor, and the methods of list/dict/set/frozenset and the
dict views, as CPython 3.9 computes them. spec/tests/numbers_collections.rs
replays every call on pyreg's built-ins.

Run: PYENV_VERSION=3.9.18 python3.9 scripts/gen_numbers_golden.py

The script re-executes itself with PYTHONHASHSEED=0, pyreg's string hash,
so that sets of strings iterate (and print) in the same order.

Layout: {"cases": [case, ...]}, a case being the list
  [CALL, [value, ...], OUT, {name: value}, AFTER]
where OUT is repr(result), or [exception type name, str(exception)]; the
keyword arguments are left out when there are none and nothing follows;
AFTER, repr(args[0]) after the call, is there for mutating methods only.
CALL is "OWNER.NAME" for a built-in (OWNER a type name, "math" or
"builtins"; args[0] is the receiver of a method, or the class of a
classmethod), "op:SYMBOL" for a binary operator, "cmp:SYMBOL" for a
comparison, or "complex()" for the constructor.

Values: null, true/false, a JSON string (a str), a JSON integer or
{"i": decimal} or {"pow": [sign, base, exp, add]} (the int
sign * (base**exp + add)), {"f": repr} (float), {"c": [repr(re), repr(im)]},
{"y": hex} (bytes), {"t": [...]} (tuple), {"l": [...]} (list),
{"d": [[k, v], ...]} (dict), {"set": [...]}, {"fs": [...]} (set and
frozenset built from the items in this order), {"keys": dict},
{"values": dict}, {"items": dict} (views of a new dict), {"iter": [...]}
(an iterator over a list), {"type": name} (a built-in class).
"""
import json
import warnings
import math
import os
import struct
import subprocess
import sys

assert sys.version_info[:2] == (3, 9), "run this with CPython 3.9"

if os.environ.get("PYTHONHASHSEED") != "0":
    env = dict(os.environ, PYTHONHASHSEED="0")
    sys.exit(subprocess.call([sys.executable] + sys.argv, env=env))

OUT = os.path.join(os.path.dirname(__file__), "..", "spec", "tests", "data", "numbers_golden.json")


def bits(f):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", f))[0]


class Items(list):
    """A list standing for a set/frozenset/iterator argument."""

    def __init__(self, kind, items):
        super().__init__(items)
        self.kind = kind


class View:
    def __init__(self, kind, d):
        self.kind = kind
        self.d = d


def enc(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int):
        if -2 ** 63 <= v < 2 ** 63:
            return v
        # Large test ints are sign * (base**exp + small): written that way.
        sign, mag = (-1, -v) if v < 0 else (1, v)
        for base in (10, 2, 3):
            e = int(math.log(mag, base))
            for exp in (e - 1, e, e + 1):
                rest = mag - base ** exp
                if abs(rest) < 2 ** 63:
                    return {"pow": [sign, base, exp, rest]}
        return {"i": str(v)}
    if isinstance(v, float):
        return {"f": repr(v)}
    if isinstance(v, complex):
        return {"c": [repr(v.real), repr(v.imag)]}
    if isinstance(v, str):
        return v
    if isinstance(v, bytes):
        return {"y": v.hex()}
    if isinstance(v, tuple):
        return {"t": [enc(x) for x in v]}
    if isinstance(v, Items):
        return {v.kind: [enc(x) for x in v]}
    if isinstance(v, View):
        return {v.kind: enc(v.d)}
    if isinstance(v, list):
        return {"l": [enc(x) for x in v]}
    if isinstance(v, dict):
        return {"d": [[enc(k), enc(x)] for k, x in v.items()]}
    if isinstance(v, type):
        return {"type": v.__name__}
    raise TypeError(type(v))


def live(v):
    """The Python object an encoded argument stands for (fresh each call)."""
    if isinstance(v, Items):
        items = [live(x) for x in v]
        return {"set": set, "fs": frozenset, "iter": iter}[v.kind](items)
    if isinstance(v, View):
        d = dict(v.d)
        return {"keys": d.keys, "values": d.values, "items": d.items}[v.kind]()
    if isinstance(v, list):
        return [live(x) for x in v]
    if isinstance(v, dict):
        return {k: live(x) for k, x in v.items()}
    return v


CASES = []

# factorial(5.0) warns; the warning is not part of the result.
warnings.simplefilter("ignore", DeprecationWarning)

BINOPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "//": lambda a, b: a // b,
    "%": lambda a, b: a % b,
    "**": lambda a, b: a ** b,
    "&": lambda a, b: a & b,
    "|": lambda a, b: a | b,
    "^": lambda a, b: a ^ b,
}
CMPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
MUTATING = {
    "list.append", "list.extend", "list.pop", "list.insert", "list.remove",
    "list.reverse", "list.clear", "dict.popitem", "dict.update", "dict.pop",
    "dict.setdefault", "dict.__ior__", "set.add", "set.remove", "set.discard",
    "set.pop", "set.clear", "set.update", "set.intersection_update",
    "set.difference_update", "set.symmetric_difference_update", "set.__ior__",
    "set.__iand__", "set.__isub__", "set.__ixor__",
}


def resolve(call):
    if call == "complex()":
        return complex
    if call.startswith("op:"):
        return BINOPS[call[3:]]
    if call.startswith("cmp:"):
        return CMPS[call[4:]]
    owner, name = call.split(".", 1)
    if owner == "math":
        return getattr(math, name)
    if owner == "builtins":
        return getattr(__builtins__, name)
    return None


def case(call, *args, **kwargs):
    largs = [live(a) for a in args]
    lkw = {k: live(v) for k, v in kwargs.items()}
    f = resolve(call)
    try:
        if f is None:
            # A method: args[0] is the receiver (or the class).
            r = getattr(largs[0], call.split(".", 1)[1])(*largs[1:], **lkw)
        else:
            r = f(*largs, **lkw)
        out = repr(r)
    except Exception as e:  # every exception is recorded
        out = [type(e).__name__, str(e)]
    c = [call, [enc(a) for a in args], out, {k: enc(v) for k, v in kwargs.items()}]
    if call in MUTATING:
        c.append(repr(largs[0]))
    elif not kwargs:
        c.pop()
    CASES.append(c)


INF, NAN = float("inf"), float("nan")

# ----- math --------------------------------------------------------------------
VALS = [0.0, -0.0, 1.0, -1.0, 0.1, -3.7, 1e-300, 5e-324, 710.0, -745.5, INF, -INF, NAN,
        -7, 10 ** 400]
ONE_ARG = ["sqrt", "exp", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan",
           "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
           "erf", "erfc", "gamma", "lgamma", "floor", "ceil", "trunc", "frexp", "modf", "ulp"]
for name in ONE_ARG:
    for v in VALS:
        if name in ("floor", "ceil", "trunc") and isinstance(v, int):
            continue
        case("math." + name, v)
for name in ["fabs", "degrees", "radians", "isfinite", "isinf", "isnan"]:
    for v in [-0.0, 3.7, -INF, NAN, -7, 10 ** 400]:
        case("math." + name, v)
for v in [0.3, 2.5, 4.5, 30.5, 171.5, 172.0, -1.5, -170.5, 1e-25, 141.2, 200.5, -200.5]:
    case("math.gamma", v)
    case("math.lgamma", v)
for v in [0.2, 0.84, 0.85, 1.2, 1.3, 2.8, 2.9, 5.9, 6.1, 27.0, 28.5, -1.1, -2.9, -6.5]:
    case("math.erf", v)
    case("math.erfc", v)
for v in [1.5, 2.5, 3e8, 1e9, -1e-9, 0.9999]:
    for name in ["asinh", "acosh", "atanh"]:
        case("math." + name, v)
PAIRS = [(2, 0.5), (2, 10), (-2, 0.5), (-2, 3), (0, -1), (-0.0, -3.0), (1e300, 2), (2, -1100),
         (-INF, 3), (-INF, 2), (NAN, 0), (1, NAN), (-1, INF), (0.5, INF), (10, 400),
         (5.5, 2), (7, 0), (-10, 3), (3, 2), (1e300, 1e-300)]
for x, y in PAIRS:
    for name in ["pow", "atan2", "copysign", "fmod", "remainder", "hypot", "nextafter", "log"]:
        case("math." + name, x, y)
for a in [(3, 4), (1, 2, 2), (), (5,), (1e308, 1e308), (1e-320, 1e-320), (3, 4, 12, 84),
          (NAN, INF), (0.1, 0.2, 0.3), (2, 10)]:
    case("math.hypot", *a)
case("math.dist", (0, 0), (3, 4))
case("math.dist", [1, 2, 3], [4, 5, 6])
case("math.dist", (1, 2), (1, 2, 3))
for a in [(10, 3), (100, 3), (0, 1), (1, 0), (2 ** 64, 2), (5, -1), (-5, 1), (5, 6)]:
    case("math.comb", *a)
    case("math.perm", *a)
case("math.perm", 5)
for n in [0, 15, 16, 10 ** 20, 10 ** 40 + 12345, -1, 2.0, True]:
    case("math.isqrt", n)
for a in [(), (0,), (4, 6, 10), (-4, 6), (2 ** 70, 2 ** 35 * 3), (3, 5, 0), (2.0, 4)]:
    case("math.gcd", *a)
    case("math.lcm", *a)
for it in [[0.1] * 10, [1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50], [1e308, 1e308],
           [INF, 1], [INF, -INF], [NAN, 1], [], [1e-16, 1, 1e16]]:
    case("math.fsum", it)
case("math.prod", [1, 2, 3, 4])
case("math.prod", [], start=5)
case("math.prod", [2.5, 2], start=1.5)
for a, b, k in [(1, 1.1, {}), (1, 1.05, {"rel_tol": 0.1}), (0.1 + 0.2, 0.3, {}),
                (0, 1e-10, {"abs_tol": 1e-9}), (1, 2, {"rel_tol": -1}), (INF, INF, {})]:
    case("math.isclose", a, b, **k)
for x, i in [(0.5, 4), (1.0, -1074), (1.0, -1075), (1.5, -1074), (1.0, 1024), (1.0, 10 ** 20),
             (1.0, -10 ** 20), (3.0, 2.0), (0.75, -1074)]:
    case("math.ldexp", x, i)
for n in [0, 20, 21, -1, 5.0, 5.5, INF]:
    case("math.factorial", n)
for v in [2 ** 1023, 2 ** 1024, 3 ** 1000]:
    case("math.log2", v)
    case("math.log10", v)
    case("math.log", v)
case("math.sqrt", "x")
case("math.sqrt", 1j)
case("math.sqrt")
case("math.floor", "x")
case("math.trunc", "x")

# ----- complex -----------------------------------------------------------------
ZS = [0j, 3 + 4j, complex(0, -0.0), complex(-0.0, 0), 1e300 + 1e300j, complex(INF, 1),
      complex(NAN, 2)]
OTHERS = [0, -2, 2.5, 2 - 1j, 10 ** 400]
for z in ZS:
    for o in OTHERS:
        for sym in ["+", "-", "*", "/", "**"]:
            case("op:" + sym, z, o)
            case("op:" + sym, o, z)
for sym in ["//", "%", "&"]:
    case("op:" + sym, 1j, 2)
    case("op:" + sym, True, 1j)
case("op:%", 1j, 10 ** 400)
for base in [1 + 1j, 2j, -1 + 0j, 0j, 1e10 + 1e10j, 1e-200j]:
    for e in [0, 3, 8, -2, 101, -101, 0.5, 1j, 2 + 3j, 1e20]:
        case("op:**", base, e)
for x in [-8, -2.5, -0.0, 0.0, -INF, INF, NAN, 1.0]:
    for y in [0.5, -0.5, 3.0, -3.0, 1e300, INF, -INF, NAN, 0.0]:
        case("op:**", x, y)
for s in ["1+2j", "-3.5j", "j", "-j", "1", " ( 1-2j ) ", "(1+2j", "1+2", "1e3+1e-3j",
          "inf+nanj", "1_000+2_0j", "1__0j", "", "1 + 2j", "1+-2j", ".5j", "1e", "1ej",
          "infinity-infinityJ", "\u30001+1j\u3000", "0x10", "(j)"]:
    case("complex()", s)
for a in [(), (1, 2), (1.5, -2), (1j, 1j), (1 + 2j, 3 + 4j), (True, False), (2 ** 1100,),
          (0.0, -0.0), ("1", 2), (1, "2"), ([],), (1, [])]:
    case("complex()", *a)
for z in [1 + 2j, -1.5 - 0.25j, complex(-0.0, 3), 1234567.891 + 9876543.21j]:
    for spec in ["", ".2f", "10.3f", "<20", "^20", "+.1e", " g", ".3", "*^30.2f", ",.2f",
                 "#g", "010", "=10", "d"]:
        case("builtins.format", z, spec)
for z in [3 + 4j, 1j]:
    case("complex.conjugate", z)
case("builtins.abs", 3 + 4j)
case("builtins.divmod", 1j, 2)
for a in [(2, 3, 0), (2, -1, 7), (2, -1, 4), (3, -2, -7), (True, 2, 3), (2.0, 2, 3),
          (2, 2j, 3), (2, "a", 3), (5, 3, 1), (-5, 3, 7), (5, 3, -7), (0, -1, 5)]:
    case("builtins.pow", *a)
for a in [(7, 2), (-7, 2), (7.5, -2), (0.0, 0.0), (5, 0.0), (1, 0), (10 ** 400, 0.0)]:
    case("builtins.divmod", *a)

# ----- int ---------------------------------------------------------------------
INTS = [0, -1, 255, -256, 2 ** 64 + 5, True]
for n in INTS:
    for name in ["bit_length", "as_integer_ratio", "conjugate", "__index__", "__float__",
                 "__neg__", "__invert__", "__bool__", "__round__", "__hash__", "__repr__"]:
        case("int." + name, n)
    for o in [-2, 0, 2.5, "a"]:
        for name in ["__add__", "__rsub__", "__truediv__", "__floordiv__", "__mod__",
                     "__divmod__", "__pow__", "__lshift__", "__and__", "__lt__"]:
            if name in ("__pow__", "__lshift__") and abs(n) > 2 ** 20:
                continue
            case("int." + name, n, o)
case("int.__round__", 1234, -2)
case("int.__format__", 255, "x")
for n, l, o, s in [(1024, 4, "big", False), (1024, 4, "little", False), (-1, 2, "big", True),
                   (-1, 2, "big", False), (256, 1, "big", False), (-128, 1, "little", True),
                   (128, 1, "big", True), (0, 0, "big", False), (-(2 ** 71), 9, "big", True),
                   (5, 1.0, "big", False), (5, 1, "mid", False), (5, -1, "big", False)]:
    case("int.to_bytes", n, l, o, signed=s)
case("int.to_bytes", 5, 1, 2)
case("int.to_bytes", 5)
for b, o, s in [(b"\xff\xff", "big", False), (b"\xff\xff", "big", True), (b"\x01\x00", "little", False),
                (b"", "big", True), ([1, 2, 3], "big", False), ((255,), "little", True),
                ("ab", "big", False), (5, "big", False), ([300], "big", False)]:
    case("int.from_bytes", int, b, o, signed=s)

# ----- float -------------------------------------------------------------------
FLOATS = [0.0, -0.0, 1.0, -2.5, 0.1, 1e20, 1 / 3, 5e-324, 2.2250738585072014e-308,
          1.7976931348623157e308, INF, -INF, NAN, 3.5, 4503599627370496.5]
for f in FLOATS:
    for name in ["is_integer", "hex", "as_integer_ratio", "__int__", "__floor__",
                 "__ceil__", "__round__", "__hash__"]:
        case("float." + name, f)
    case("float.__round__", f, 2)
for f in FLOATS[:4] + FLOATS[10:13]:
    for o in [-3, 0.0, "a", 10 ** 400]:
        for name in ["__add__", "__rsub__", "__truediv__", "__floordiv__", "__mod__",
                     "__divmod__", "__pow__", "__rpow__", "__lt__"]:
            case("float." + name, f, o)
for h in ["0x1p0", "0x1.8p1", "-0x1.0p-2", "0x1.999999999999ap-4", "0x0p0", "inf", "-Infinity",
          "nan", " 0x1p1 ", "1.8p1", "0x.8", "0x1.", "0x", "0xp1", "0x1p", "0X1P-1074",
          "0x1p-1075", "0x1.8p-1074", "0x3p-1076", "0x1p1023", "0x1p1024",
          "0x1.fffffffffffff8p1023", "0x1.fffffffffffff7ffp1023", "0x1.00000000000008p0",
          "0x1.00000000000018p0", "0xzz", "0x1p99999999999999999999", "0x1p-99999999999999999999",
          "-0x0p0", "0x1p1 x", "0x123456789abcdef0123456789p-10"]:
    case("float.fromhex", float, h)
case("float.fromhex", float, 1)

# ----- list --------------------------------------------------------------------
L = [3, 1, 2, 1, 3]
for a in [(1,), (1, 2), (3, -2), (1, -4, -1), (9,), (1, 4), (1, "a")]:
    case("list.index", L, *a)
for a in [(), (0,), (-1,), (10,), (-6,), (2.0,)]:
    case("list.pop", L, *a)
case("list.pop", [])
for a in [(0, "x"), (-1, "x"), (100, "x"), (-100, "x"), (10 ** 30, "x")]:
    case("list.insert", L, *a)
for a in [(1,), (9,)]:
    case("list.remove", L, *a)
    case("list.count", L, *a)
case("list.extend", L, Items("iter", [7, 8]))
case("list.extend", L, 5)
case("list.append", L)
case("list.reverse", L, 1)
case("list.clear", L)

# ----- dict --------------------------------------------------------------------
D = {"a": 1, "b": 2, "c": 3}
case("dict.popitem", D)
case("dict.popitem", {})
case("dict.fromkeys", dict, "abc")
case("dict.fromkeys", dict, [1, 2], 0)
case("dict.fromkeys", dict, 5)
case("dict.__or__", D, {"d": 4, "a": 0})
case("dict.__or__", D, [("d", 4)])
case("dict.__ior__", D, [("d", 4)])
case("dict.update", D, [("x", 1), ["y", 2], "zw"])
case("dict.update", D, [(1, 2, 3)])
case("dict.update", D, [1])
case("dict.update", D, 5)
case("dict.update", D, {}, {})
case("dict.update", D, {"q": 0}, r=1)
case("dict.get", D)
case("dict.get", D, "a", 2, 3)
case("dict.pop", D, "zz")
case("dict.pop", D, "a")
case("dict.setdefault", D, "new", [1])

# ----- sets --------------------------------------------------------------------
BASES = [list(range(10)), [], ["a", "b", "c", "dd", "eee", 1.5, 2, True, (1, 2)]]
OPERANDS = [[2, 3, 99], Items("set", [5, 6, 7, "c"]), Items("fs", [1, 2]),
            {"a": 1, "b": 2, 9: 0}, Items("iter", [0, 3, 6]), list(range(40))]
for b in BASES:
    for o in OPERANDS:
        for name in ["union", "intersection", "difference", "symmetric_difference",
                     "issubset", "issuperset", "isdisjoint"]:
            case("set." + name, Items("set", b), o)
            case("frozenset." + name, Items("fs", b), o)
        for name in ["update", "intersection_update", "difference_update",
                     "symmetric_difference_update"]:
            case("set." + name, Items("set", b), o)
        if isinstance(o, Items) and o.kind != "iter":
            for name in ["__ior__", "__iand__", "__isub__", "__ixor__"]:
                case("set." + name, Items("set", b), o)
            for sym in ["|", "&", "-", "^"]:
                case("op:" + sym, Items("set", b), o)
S = Items("set", list(range(20)))
case("set.union", S, [7], (30, 31), Items("set", [40]))
case("set.intersection", S, [1, 2, 3], Items("set", [2, 3]))
case("set.difference", S, [1], Items("set", [2]))
case("set.union", S)
case("set.update", Items("set", [1, 2]), [3, [4], 5])
case("set.intersection_update", Items("set", [1, 2]), [1, 2], 5)
case("set.add", Items("set", [1]), [1])
case("set.remove", Items("set", [1]), 99)
case("set.remove", Items("set", [Items("fs", [1])]), Items("set", [1]))
case("set.discard", Items("set", [1]), 1)
case("set.pop", Items("set", list(range(30))))
case("set.pop", Items("set", []))
case("set.clear", Items("set", [1, 2]))
case("set.copy", Items("set", ["b", "a"]))
case("set.union", Items("set", [1]), 1)
case("frozenset.copy", Items("fs", [1, 2]))

# ----- dict views --------------------------------------------------------------
K = View("keys", {"a": 1, "b": 2, "c": 3})
IT = View("items", {"a": 1, "b": 2, "c": 3})
for o in [Items("set", ["a", "z"]), ["a", "b"], View("keys", {"a": 0, "q": 1}), "abz"]:
    for sym in ["&", "|", "-", "^"]:
        case("op:" + sym, K, o)
        case("op:" + sym, o, K)
for o in [Items("set", [("a", 1), ("b", 5)]), [("z", 0)], View("items", {"a": 1})]:
    for sym in ["&", "|", "-", "^"]:
        case("op:" + sym, IT, o)
        case("op:" + sym, o, IT)
case("op:&", K, 5)
case("op:&", View("values", {"a": 1}), Items("set", [1]))
for o in [Items("set", ["a", "b", "c"]), Items("set", ["a"]), Items("set", ["a", "b", "c", "d"]),
          ["a", "b", "c"], View("keys", {"a": 1, "b": 2, "c": 3})]:
    for sym in ["==", "!=", "<", "<=", ">", ">="]:
        case("cmp:" + sym, K, o)
        case("cmp:" + sym, o, K)
case("cmp:==", IT, Items("set", [("a", 1), ("b", 2), ("c", 3)]))
case("dict_keys.isdisjoint", K, Items("set", ["x"]))
case("dict_keys.isdisjoint", K, ["a"])
case("dict_items.isdisjoint", IT, [("a", 1)])
case("dict_items.isdisjoint", IT, [("a", 2)])

text = json.dumps({"cases": CASES}, separators=(",", ":"), ensure_ascii=True)
with open(OUT, "w") as f:
    f.write(text + "\n")
print("wrote %d cases, %d bytes" % (len(CASES), len(text)))
