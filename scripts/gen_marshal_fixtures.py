"""Writes the marshal / .pyc fixtures of frontend/tests/ into frontend/tests/data/.

Run with CPython 3.9 from the repository root:

    PYENV_VERSION=3.9.18 python3.9 scripts/gen_marshal_fixtures.py

It writes:
  values.json     marshal.dumps of small values (hex) with their expected
                  decoded form, plus a few hand-written encodings that
                  CPython's writer never produces but its reader accepts;
  program.py      a small program (nested functions, closures, a class, ...);
  program.marshal marshal.dumps of its compiled module code object;
  program.pyc     the same program through py_compile (checked-hash header);
  program.json    the expected decoded code object.

Every expected form is checked here against what CPython's marshal.loads
returns, so the fixtures are known to agree with CPython. The output is
deterministic (the script re-runs itself with PYTHONHASHSEED=0 so that sets
are written in a fixed order).
"""

import json
import marshal
import os
import py_compile
import struct
import subprocess
import sys
import types

if os.environ.get("PYTHONHASHSEED") != "0":
    env = dict(os.environ, PYTHONHASHSEED="0")
    sys.exit(subprocess.call([sys.executable] + sys.argv, env=env))

if sys.version_info[:2] != (3, 9):
    sys.exit("gen_marshal_fixtures.py needs CPython 3.9, not %s" % sys.version.split()[0])

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "frontend", "tests", "data")


def fbits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def desc(obj):
    """A JSON description of a marshallable value, exact for floats."""
    if obj is None:
        return {"t": "None"}
    if obj is Ellipsis:
        return {"t": "Ellipsis"}
    if obj is StopIteration:
        return {"t": "StopIteration"}
    if isinstance(obj, bool):
        return {"t": "bool", "v": obj}
    if isinstance(obj, int):
        return {"t": "int", "v": str(obj)}
    if isinstance(obj, float):
        return {"t": "float", "bits": fbits(obj)}
    if isinstance(obj, complex):
        return {"t": "complex", "re": fbits(obj.real), "im": fbits(obj.imag)}
    if isinstance(obj, str):
        if any(0xD800 <= ord(c) <= 0xDFFF for c in obj):
            return {"t": "str", "cp": [ord(c) for c in obj]}
        return {"t": "str", "v": obj}
    if isinstance(obj, bytes):
        return {"t": "bytes", "hex": obj.hex()}
    if isinstance(obj, (tuple, list, set, frozenset)):
        return {"t": type(obj).__name__, "items": [desc(x) for x in obj]}
    if isinstance(obj, dict):
        return {"t": "dict", "items": [[desc(k), desc(v)] for k, v in obj.items()]}
    if isinstance(obj, types.CodeType):
        return {
            "t": "code",
            "argcount": obj.co_argcount,
            "posonlyargcount": obj.co_posonlyargcount,
            "kwonlyargcount": obj.co_kwonlyargcount,
            "nlocals": obj.co_nlocals,
            "stacksize": obj.co_stacksize,
            "flags": obj.co_flags,
            "code": obj.co_code.hex(),
            "consts": [desc(c) for c in obj.co_consts],
            "names": list(obj.co_names),
            "varnames": list(obj.co_varnames),
            "freevars": list(obj.co_freevars),
            "cellvars": list(obj.co_cellvars),
            "filename": obj.co_filename,
            "name": obj.co_name,
            "firstlineno": obj.co_firstlineno,
            "lnotab": obj.co_lnotab.hex(),
        }
    raise TypeError("cannot describe %r" % (obj,))


def same_unordered(a, b):
    """Equality of descriptions, sets compared as multisets."""
    if a.get("t") in ("set", "frozenset") and a.get("t") == b.get("t"):
        ka = sorted(json.dumps(x, sort_keys=True) for x in a["items"])
        kb = sorted(json.dumps(x, sort_keys=True) for x in b["items"])
        return ka == kb
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


cases = []


def dumped(name, obj, version=marshal.version):
    data = marshal.dumps(obj, version)
    expected = desc(obj)
    assert same_unordered(desc(marshal.loads(data)), expected), name
    cases.append({"name": name, "hex": data.hex(), "expected": expected})


def crafted(name, data, consumed=None):
    """A hand-written encoding: the expected value is what CPython reads."""
    value = marshal.loads(data)
    case = {"name": name, "hex": data.hex(), "expected": desc(value)}
    if consumed is not None:
        case["consumed"] = consumed
    cases.append(case)


# Singletons.
for name, obj in [("none", None), ("true", True), ("false", False),
                  ("ellipsis", Ellipsis), ("stopiteration", StopIteration)]:
    dumped(name, obj)

# Integers: 'i' for 32 bits, 'l' beyond (15-bit digits).
for n in [0, 1, -1, 2**31 - 1, -2**31, 2**31, -2**31 - 1, 2**15, 2**30, 2**45 - 1,
          2**62, -2**64, 10**40, -(2**100) + 7]:
    dumped("int %d" % n, n)

# Floats: binary 'g' (version >= 2) and text 'f' (version 1).
for x in [0.0, -0.0, 1.5, 1e308, 5e-324, float("inf"), float("-inf"), float("nan"), 0.1]:
    dumped("float %r" % x, x)
    dumped("float %r v1" % x, x, 1)
dumped("complex", 1 + 2j)
dumped("complex v1", complex(1.5, -0.0), 1)

# Strings: 'z'/'a' for ASCII, 'u' otherwise, 't'/'Z'/'A' when interned.
dumped("str empty", "")
dumped("str ascii", "abc")
dumped("str latin1", "caf\xe9")
dumped("str cjk", "\u65e5\u672c")
dumped("str astral", "\U0001f600!")
dumped("str lone surrogate", "a\ud800b")
dumped("str surrogate pair halves", "\udbff\udc00")
dumped("str interned ascii", sys.intern("interned_name"))
dumped("str interned v3", sys.intern("interned_name"), 3)
dumped("str interned nonascii", sys.intern("n\xe4me"))
dumped("str v2", "plain", 2)

# Bytes.
dumped("bytes empty", b"")
dumped("bytes", b"\x00\xff\x80abc")

# Containers.
dumped("tuple empty", ())
dumped("tuple nested", (1, (2.5, ("three", ())), None))
dumped("tuple v3", (1, "two"), 3)
dumped("frozenset", frozenset({1, 2, 3}))
dumped("frozenset str", frozenset({"a", "b"}))
dumped("frozenset empty", frozenset())
dumped("list", [1, [2, []], "x"])
dumped("dict", {"a": 1, 2: [3], (1, 2): None})
dumped("dict empty", {})
dumped("set", {1, 2})
shared = [1, 2]
dumped("refs shared list", (shared, shared, shared))
word = sys.intern("shared_word")
dumped("refs shared str", [word, word, (word,)])
dumped("mixed v0", (1, 2.5, "s", b"b", (1 + 1j)), 0)

# Encodings CPython reads but its 3.9 writer never produces.
crafted("int64 positive", b"I" + (2**40 + 5).to_bytes(8, "little", signed=True))
crafted("int64 negative", b"I" + (-(2**62)).to_bytes(8, "little", signed=True))
crafted("latin1 short ascii", b"z\x03\xe9\xff\x41")
crafted("long form ascii", b"a\x03\x00\x00\x00abc")
crafted("long form tuple", b"(\x03\x00\x00\x00NTF")
crafted("latin1 ascii", b"a\x02\x00\x00\x00\xe9\xff")
crafted("flag on singleton ignored", b"\xa9\x03\xce\xe9\x05\x00\x00\x00r\x01\x00\x00\x00")
crafted("dict ended by null value", b"{N0")
crafted("trailing garbage", b"Ngarbage", consumed=1)
crafted("float text nul", b"f\x051.5\x00x")
crafted("float text forms", b")\x04f\x03inff\x04-NaNf\x041e-5f\x02.5")
crafted("small long", b"l\x01\x00\x00\x00\x07\x00")
crafted("negative long", b"l\xfe\xff\xff\xff\xff\x7f\x01\x00")
crafted("frozenset flagged", b")\x02\xbe\x01\x00\x00\x00\xe9\x07\x00\x00\x00r\x00\x00\x00\x00")

# A lambda as a value of its own, written without references (version 2).
dumped("code v2", compile("lambda a, *b, c=1, **d: (a, b, c, d)", "lam.py", "eval"), 2)

PROGRAM = '''\
"""A small program: nested functions, closures, a class."""
import sys

BIG = 12345678901234567890
LIMITS = (1.5, -2j, b"\\x00raw", "caf\\xe9", None, ...)


def counter(start=0, *, step=1):
    count = start

    def bump(by=step):
        nonlocal count
        count += by
        return count

    return bump


def pos_only(a, b, /, c, *args, d, **kw):
    return [x * 2 for x in (a, b, c) if x in {1, 2, 3}]


class Point:
    """A point."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def norm(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5


def gen(n):
    yield from range(n)


async def coro():
    return await other()


square = lambda v: v * v
print(counter()(), Point(3, 4).norm(), sum(gen(4)), square(BIG), LIMITS)
'''


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "values.json"), "w") as f:
        # One case a line, compact: small and diff-friendly.
        f.write('{"cases": [\n')
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")

    src = os.path.join(OUT, "program.py")
    with open(src, "w") as f:
        f.write(PROGRAM)
    code = compile(PROGRAM, "program.py", "exec", dont_inherit=True)
    data = marshal.dumps(code)
    with open(os.path.join(OUT, "program.marshal"), "wb") as f:
        f.write(data)

    pyc = os.path.join(OUT, "program.pyc")
    py_compile.compile(src, cfile=pyc, dfile="program.py", doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    with open(pyc, "rb") as f:
        pyc_data = f.read()
    expected = desc(code)
    assert desc(marshal.loads(data)) == expected
    assert desc(marshal.loads(pyc_data[16:])) == expected
    with open(os.path.join(OUT, "program.json"), "w") as f:
        json.dump(expected, f, separators=(",", ":"))
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print("wrote %d value cases and the program fixtures (%d bytes) to %s"
          % (len(cases), total, OUT))


main()
