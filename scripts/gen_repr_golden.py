"""Writes spec/tests/data/repr_golden.json: CPython 3.9's repr() of constants
of every kind, the ground truth for spec/src/pyrepr.rs.

Run: PYENV_VERSION=3.9.18 python3.9 scripts/gen_repr_golden.py

Values are encoded so that JSON carries them exactly:
  ["None"], ["Ellipsis"], ["bool", true]
  ["int", "<decimal>"]               (JSON numbers would lose big ints)
  ["float", "<16 hex digits>"]       (the IEEE bits, struct.pack('>d'))
  ["complex", "<hex re>", "<hex im>"]
  ["str", [code points]]             (lone surrogates survive)
  ["bytes", "<hex>"]
  ["tuple", [values]], ["frozenset", [values in iteration order]]
  ["code", [name code points], [filename code points], firstlineno]
The repr of a code object has its address replaced by CODE_ADDRESS, because
addresses differ from run to run.

"nonprintable" lists the inclusive ranges of code points for which
str.isprintable() is false, which is what repr() escapes.
"""
import json
import math
import os
import random
import re
import struct
import sys
import types
import unicodedata

assert sys.version_info[:2] == (3, 9), "run this with CPython 3.9"

# Frozensets of strings iterate in hash order; a fixed seed keeps the file
# the same from run to run.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

CODE_ADDRESS = "0x7f0000000000"
rng = random.Random(39)


def bits(f):
    return struct.pack(">d", f).hex()


def from_bits(h):
    return struct.unpack(">d", bytes.fromhex(h))[0]


def enc(v):
    """Encodes a constant; floats given as hex strings keep their NaN bits."""
    if v is None:
        return ["None"]
    if v is Ellipsis:
        return ["Ellipsis"]
    if isinstance(v, bool):
        return ["bool", v]
    if isinstance(v, int):
        return ["int", str(v)]
    if isinstance(v, float):
        return ["float", bits(v)]
    if isinstance(v, complex):
        return ["complex", bits(v.real), bits(v.imag)]
    if isinstance(v, str):
        return ["str", [ord(c) for c in v]]
    if isinstance(v, bytes):
        return ["bytes", v.hex()]
    if isinstance(v, tuple):
        return ["tuple", [enc(x) for x in v]]
    if isinstance(v, frozenset):
        return ["frozenset", [enc(x) for x in v]]
    if isinstance(v, types.CodeType):
        return ["code", [ord(c) for c in v.co_name],
                [ord(c) for c in v.co_filename], v.co_firstlineno]
    raise TypeError(type(v))


def the_repr(v):
    # Only code objects print an address, and no other repr here holds
    # "<code object ", so the pattern cannot hit a string's text.
    return re.sub(r"(<code object .*? at )0x[0-9a-f]+(?=, file )",
                  r"\g<1>" + CODE_ADDRESS, repr(v), flags=re.S)


cases = []


def add(v):
    cases.append({"value": enc(v), "repr": the_repr(v)})


def add_float_bits(h):
    """Adds a float by bit pattern, so NaN payloads and signs are kept."""
    cases.append({"value": ["float", h], "repr": repr(from_bits(h))})


# ---- floats ----------------------------------------------------------------
inf, nan = float("inf"), float("nan")
specials = [0.0, -0.0, inf, -inf, nan, -nan, 1.0, -1.0, 0.5, 0.1, 0.2, 0.3,
            1 / 3, 2 / 3, math.pi, math.e, 123.0, 100.0, 1e15, 1e16, 1e17,
            1e22, 1e23, 1e-4, 1e-5, 1.5e-5, 0.00015, 9.5e-05,
            sys.float_info.max, -sys.float_info.max, sys.float_info.min,
            sys.float_info.epsilon, 5e-324, -5e-324, 2.0 ** 52, 2.0 ** 53,
            2.0 ** 53 + 2, 2.0 ** 63, 2.0 ** 64, 2.0 ** -1022, 2.0 ** -1074,
            9007199254740993.0, 9999999999999998.0, 12345678901234567.0,
            0.30000000000000004, 1.7976931348623157e308, 4.35, 2.675, 1e300,
            1e-300, 123456789012345.6, 1234567890123456.7]
for f in specials:
    add(f)
for h in ["7ff8000000000001", "fff8000000000000", "7ff0000000000001",
          "ffffffffffffffff", "7fefffffffffffff", "0000000000000001",
          "000fffffffffffff", "0010000000000000", "8000000000000001"]:
    add_float_bits(h)
for e in range(-30, 31):
    add(float("1e%d" % e))
    add(-float("1e%d" % e))
    add(float("1.5e%d" % e))
    add(float("1.2345678901234567e%d" % e))
for e in range(-325, 309, 7):
    add(float("1e%d" % e))
    add(float("9.87654321e%d" % e))
for e in range(-1074, 1024, 11):
    add(2.0 ** e)
# Around the switches between fixed and exponent notation.
for edge in [1e16, 1e-4, 1e-5, 1e15, 1e17, 9.999999999999999e15,
             9.999e-5, 0.000099999999999, 1e-3]:
    for x in (edge, -edge):
        lo = hi = x
        for _ in range(4):
            lo = math.nextafter(lo, -inf)
            hi = math.nextafter(hi, inf)
            add(lo)
            add(hi)
# Subnormals and the normal/subnormal boundary.
for _ in range(150):
    add(from_bits("%016x" % rng.randrange(1, 1 << 52)))
# Random bit patterns over the whole space (NaN payloads included).
for _ in range(1200):
    add_float_bits("%016x" % rng.getrandbits(64))
# Decimal-looking values, as literals in source code are.
for _ in range(700):
    k = rng.randrange(0, 12)
    scale = 10.0 ** rng.randrange(-8, 20)
    add(round(rng.uniform(-1, 1) * scale, k))
for _ in range(150):
    add(float(rng.randrange(-10 ** rng.randrange(1, 25), 10 ** 25)))

# ---- complex ---------------------------------------------------------------
parts = [0.0, -0.0, 1.0, -1.0, 1.5, -2.5, 1e16, 1e-5, 1e-4, 1e22, 123.0,
         5e-324, 0.1, inf, -inf, nan, -nan, 1.7976931348623157e308]
for a in parts:
    for b in parts:
        add(complex(a, b))
for _ in range(100):
    add(complex(from_bits("%016x" % rng.getrandbits(64)),
                from_bits("%016x" % rng.getrandbits(64))))
for _ in range(100):
    add(complex(round(rng.uniform(-1e3, 1e3), rng.randrange(0, 6)),
                round(rng.uniform(-1e3, 1e3), rng.randrange(0, 6))))

# ---- ints ------------------------------------------------------------------
for i in [0, 1, -1, 7, -7, 255, 256, 2 ** 31, 2 ** 31 - 1, -2 ** 31, 2 ** 63,
          2 ** 63 - 1, -2 ** 63, 2 ** 64, -2 ** 64, 10 ** 18, 10 ** 19,
          10 ** 50, -10 ** 50, 3 ** 200, -(7 ** 300)]:
    add(i)
for _ in range(60):
    add(rng.randrange(-2 ** 200, 2 ** 200) >> rng.randrange(0, 200))

# ---- singletons ------------------------------------------------------------
for v in [None, True, False, Ellipsis]:
    add(v)

# ---- bytes -----------------------------------------------------------------
add(b"")
add(bytes(range(256)))
for i in range(256):
    add(bytes([i]))
    add(bytes([0x27, i, 0x22]))
for b in [b"'", b'"', b"'\"", b"\\", b"a'b", b'a"b', b"it's \"x\"\\\n",
          b"\x00\x7f\x80\xff", b"\t\r\n\x0b\x0c"]:
    add(b)
for _ in range(40):
    add(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 24))))

# ---- str -------------------------------------------------------------------
for s in ["", "'", '"', "'\"", "\\", "a'b", 'a"b', "it's \"x\"\\\n",
          "\t\r\n\x0b\x0c\x1b\x7f", "\x00", "don't", 'say "hi"',
          "\\'", '\\"', "''\"", "\ud800", "\udbff\udfff", "\ud83d\ude00",
          "a\udc80b", "\u2028\u2029", "\u200b\ufeff\u00ad", "\u00a0\u3000 ",
          "\ue000\U000f0000\U0010ffff", "\u0378\ufffe\uffff\U000e0080",
          "\U0001f600\U0001f9d1\u200d\U0001f680", "\u4e2d\u6587",
          "caf\u00e9", "\x80\x9f\xa0\xff\u0100", "\U00010000\U0001ffff"]:
    add(s)
# Every code point below U+3000 (both quotes included, so each chunk also
# exercises quote choice where it holds them).
for start in range(0, 0x3000, 64):
    add("".join(chr(c) for c in range(start, start + 64)))
# Every control and surrogate-boundary code point on its own.
for c in list(range(0, 0x21)) + list(range(0x7f, 0xa1)) + \
        [0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000]:
    add(chr(c))
# Samples from every plane region, one string per 4096-code-point block.
for block in range(0, 0x110000, 0x1000):
    add("".join(chr(block + rng.randrange(0x1000)) for _ in range(8)))
# The first and last code points of every run of (non-)printable ones, with
# their neighbours: the escapes switch exactly there.
runs = []
prev = None
for c in range(0x110000):
    p = chr(c).isprintable()
    if p != prev:
        runs.append([c, c, p])
        prev = p
    else:
        runs[-1][1] = c
nonprintable = [[a, b] for a, b, p in runs if not p]
edge_points = sorted({x for a, b, _ in runs for x in (a - 1, a, b, b + 1)
                      if 0 <= x < 0x110000})
for i in range(0, len(edge_points), 48):
    add("".join(chr(c) for c in edge_points[i:i + 48]))

# ---- containers and code objects -------------------------------------------
add(())
add((1,))
add((1, 2))
add(("a", b"b", 1.0, 2j, None, True, Ellipsis, -0.0))
add(((),))
add((((1,),),))
add(("it's", ('"',), frozenset()))
add(frozenset())
add(frozenset({1}))
add(frozenset({1, 2, 3, "x", (4, 5), 1.5, b"y"}))
add((frozenset({"a", "b"}), frozenset({(1,)})))
code = compile("def f():\n  pass\n", "<test>", "exec").co_consts[0]
add(code)
add(code.replace(co_firstlineno=0))
add(code.replace(co_name="<lambda>", co_filename="/usr/lib/python3.9/os.py",
                 co_firstlineno=1234))
add(code.replace(co_name="caf\u00e9", co_filename='we"ird\\ \n name'))
add((code, 1))

out = {
    "version": sys.version.split()[0],
    "unicode_version": unicodedata.unidata_version,
    "code_address": CODE_ADDRESS,
    "nonprintable": nonprintable,
    "cases": cases,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec",
                    "tests", "data", "repr_golden.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
    f.write("\n")
print("wrote %d cases, %d non-printable ranges to %s"
      % (len(cases), len(nonprintable), os.path.normpath(path)))
