#!/usr/bin/env python3.9
"""Writes spec/tests/data/format_golden.json: CPython 3.9's own answers for
format(int/float/str, spec), str % args, and hex/oct/bin, which
spec/tests/pyformat.rs checks pyreg_spec::pyformat against.

Run with CPython 3.9 (the outputs are 3.9's, some messages changed later):
    PYENV_VERSION=3.9.18 python3.9 scripts/gen_format_golden.py

Encoding (kept compact; the file stays well under 400 KB):
- a float is its IEEE-754 bit pattern as 16 hex digits, so that NaN, -0.0
  and every last bit survive JSON;
- an int is its decimal text (JSON numbers would lose big ones);
- an expected result is either the output string or [exception type name,
  message] when CPython raises.
- %-format arguments are tagged values: ["i", "12"] int, ["b", true] bool,
  ["f", "3ff0000000000000"] float, ["s", "x"] str, ["n"] None,
  ["d", [[key, value], ...]] dict with str keys; the right operand is
  {"tuple": [...]}, {"single": value} or {"mapping": [[key, value], ...]}.
"""

import json
import os
import random
import struct
import sys

assert sys.version_info[:2] == (3, 9), "run with CPython 3.9"

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "spec", "tests", "data", "format_golden.json",
)

rng = random.Random(20240309)


def fbits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def run(f):
    try:
        return f()
    except (ValueError, TypeError, OverflowError, KeyError) as e:
        return [type(e).__name__, str(e)]


# ---------------------------------------------------------------------------
# Values

INTS = [
    0, 1, -1, 7, -7, 42, 65, 97, 255, -255, 1000, 1234, -1234, 65535,
    12345678, -987654321, 2**31 - 1, 2**31, 2**53 + 1, 2**63, -2**64,
    10**20, 10**30 + 7, 2**100, -3**80, 0x10FFFF, 0x110000, 0x1F600,
    123456789012345678901234567890,
]

FLOATS = [
    0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 2.675, 1.005,
    3.14159, -3.14159, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 99.995, 9.5, 0.05,
    1e-5, 1e-4, 0.0001234, 123456.789, -9876.54321, 1e15, 1e16, 1e17,
    1.5e16, 9999999999999998.0, 2.0**53, 1e22, 1e23, 12345678901234567890.0,
    1e100, -1e100, 1e-100, 1.7976931348623157e308, 5e-324, -5e-324,
    2.2250738585072014e-308, 123.456, 100.0, 1234.5, 0.000999, 999999.5,
    9.999999e15, 1e-7, 123456789.0, float("inf"), float("-inf"), float("nan"),
    0.015, 0.025, 1.25, 1.35, 1e300, 6.02214076e23,
]
for _ in range(40):
    FLOATS.append(struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0])
for _ in range(40):
    FLOATS.append(round(rng.uniform(-1e6, 1e6), rng.randint(0, 6)))
for _ in range(20):
    FLOATS.append(rng.uniform(-1, 1) * 10.0 ** rng.randint(-30, 30))

STRS = ["", "a", "abc", "hello world", "\u00e9\u65e5\u672c", "x" * 15, " pad ",
        "tab\tand\nnewline", "\U0001f600smile", "0123456789"]

# ---------------------------------------------------------------------------
# format() specs

FILL_ALIGN = ["", "", "", "<", ">", "^", "=", "*<", "*>", "*^", "*=", "0<",
              "0>", "0^", "0=", " ^", "x=", "\u00e9>", "<<", "=="]
SIGNS = ["", "", "+", "-", " "]
WIDTHS = ["", "", "0", "1", "5", "9", "12", "20"]
GROUPS = ["", "", "", ",", "_"]
PRECS = ["", ".0", ".1", ".2", ".3", ".5", ".6", ".10", ".16", ".17", ".25"]
INT_TYPES = ["", "", "b", "c", "d", "d", "o", "x", "X", "n", "e", "E", "f",
             "F", "g", "G", "%", "s", "i", "\u00e9"]
FLOAT_TYPES = ["", "", "e", "E", "f", "F", "g", "G", "n", "%", "d", "x", "s"]
STR_TYPES = ["", "", "s", "s", "d", "r"]


def pick(xs):
    return rng.choice(xs)


def rand_spec(types, prec_p, sign_p=1.0, alt_p=0.3, group_p=1.0):
    return "".join([
        pick(FILL_ALIGN),
        pick(SIGNS) if rng.random() < sign_p else "",
        "#" if rng.random() < alt_p else "",
        "0" if rng.random() < 0.25 else "",
        pick(WIDTHS),
        pick(GROUPS) if rng.random() < group_p else "",
        pick(PRECS) if rng.random() < prec_p else "",
        pick(types),
    ])


# Specifications that are malformed or otherwise interesting whatever the
# value: parse errors and their precedence.
EDGE_SPECS = [
    "", "<", "0", "00", "05", "+", " ", "  ", "#", ",", "_", ",_", "_,", ",,",
    "__", "._", ".", "5.", "5.x", ".2xx", "xx", "10.2ff", "\u0661\u0660",
    "\u0660", "\U0001d7d8", "99999999999999999999", ".99999999999999999999",
    ".2147483648", ".2147483647", "=^10,", "0^10,", "x<010,", "08,", "0=8,",
    "010_", "#_x", "#_b", "#_o", "#,x", "_X", ",c", "_c", "+c", "#c", "=c",
    ",n", "_n", ",\u00e9", "\u00e9", ".3", "#.3", ".0", "#", "#.0", "#10.0",
    ",.2s", ".2s", "*>+#012_.3e", "0<+20,.4%", "}<", "{>", "%<5", "->5",
    "+>+5", "0=-#5x", "^", "^^", "5c", "05c", "<5c", "c", " c", "#o", "#b",
    "#X", "+#x", " #b", "#08b", "#010X",
]


def gen_int():
    cases = []
    for v in INTS:
        for s in EDGE_SPECS:
            if v in (0, -1234, 65, -3**80):
                cases.append([str(v), s, run(lambda: format(v, s))])
    huge = 10**400
    for s in ["e", ".3f", "%", "g", "d", ",", "x", "", "10.2E"]:
        cases.append([str(huge), s, run(lambda: format(huge, s))])
    for v in [2**1024 - 2**970, 2**1024 - 2**970 - 1, -(2**1024 - 2**970 - 1)]:
        cases.append([str(v), "e", run(lambda: format(v, "e"))])
    for _ in range(1100):
        v = pick(INTS) if rng.random() < 0.7 else rng.randint(-10**12, 10**12)
        s = rand_spec(INT_TYPES, prec_p=0.12)
        cases.append([str(v), s, run(lambda: format(v, s))])
    return cases


def gen_float():
    cases = []
    for v in [-0.0, -1234.5678, 1e16, float("nan"), 5e-324]:
        for s in EDGE_SPECS:
            cases.append([fbits(v), s, run(lambda: format(v, s))])
    for v in FLOATS:
        cases.append([fbits(v), "", run(lambda: format(v, ""))])
        cases.append([fbits(v), "#", run(lambda: format(v, "#"))])
    for _ in range(1300):
        v = pick(FLOATS)
        s = rand_spec(FLOAT_TYPES, prec_p=0.7)
        out = run(lambda: format(v, s))
        if isinstance(out, str) and len(out) > 120:
            continue  # keep the file small: 'f' of 1e300 and the like
        cases.append([fbits(v), s, out])
    # Every type at every precision for the halfway and near-halfway values.
    for v in [0.125, 0.375, 2.675, 1.005, 2.5, 0.5, 1e23, 9.5, 0.015, 99.995]:
        for t in "eEfFgG%":
            for p in ["", ".0", ".1", ".2", ".16", ".17"]:
                s = p + t
                cases.append([fbits(v), s, run(lambda: format(v, s))])
    for v in [1.5, 1e300, 2.0**-1074, 0.1]:
        for s in [".500f", ".400e", ".800g", "#.60g", ".340f"]:
            cases.append([fbits(v), s, run(lambda: format(v, s))])
    return cases


def gen_str():
    cases = []
    for v in ["abc", "\u00e9\u65e5\u672c"]:
        for s in EDGE_SPECS:
            cases.append([v, s, run(lambda: format(v, s))])
    for _ in range(400):
        v = pick(STRS)
        s = rand_spec(STR_TYPES, prec_p=0.4, sign_p=0.1, alt_p=0.05, group_p=0.1)
        cases.append([v, s, run(lambda: format(v, s))])
    return cases


def gen_base():
    vals = INTS + [-v for v in INTS] + [rng.randint(-2**70, 2**70) for _ in range(30)]
    return [[str(v), hex(v), oct(v), bin(v)] for v in vals]


# ---------------------------------------------------------------------------
# %-formatting

def enc(v):
    if isinstance(v, bool):
        return ["b", v]
    if isinstance(v, int):
        return ["i", str(v)]
    if isinstance(v, float):
        return ["f", fbits(v)]
    if isinstance(v, str):
        return ["s", v]
    if v is None:
        return ["n"]
    if isinstance(v, dict):
        return ["d", [[k, enc(x)] for k, x in v.items()]]
    raise TypeError(v)


def enc_args(args):
    if isinstance(args, tuple):
        return {"tuple": [enc(a) for a in args]}
    if isinstance(args, dict):
        return {"mapping": [[k, enc(x)] for k, x in args.items()]}
    return {"single": enc(args)}


PCT_EDGE = [
    ("%5%", ()), ("%-5%", ()), ("%5%", (1,)), ("%(a)%", {"a": 1}), ("%y", ()),
    ("%y", 1), ("abc%y", (1,)), ("abc%", ()), ("%", ()), ("%s %s", (1,)),
    ("%x", 3.5), ("%X", 2.0), ("%o", "s"), ("%d", 3.9), ("%d", -3.9),
    ("%d", float("inf")), ("%d", float("-inf")), ("%d", float("nan")),
    ("%i", 1e20), ("%c", 2**70), ("%c", -1), ("%c", 0x110000), ("%c", 0x10FFFF),
    ("%c", "ab"), ("%c", ""), ("%c", 3.0), ("%c", None), ("%c", "\u00e9"),
    ("%5c", 65), ("%-5c|", "z"), ("%.0c", 65), ("%f", "a"), ("%d", "a"),
    ("%x", "a"), ("%e", None), ("%d", None), ("%(a)s %s", {"a": 1}),
    ("%s %(a)s", {"a": 1}), ("%(a)s", (1,)), ("%(a)s", 1), ("%s", {"a": 1}),
    ("%(a)*d", {"a": 5}), ("%*d", ("a", 1)), ("%.*d", (2.0, 1)),
    ("%*.*f", (-8, 2, 3.14159)), ("%.*f", (-3, 3.14159)), ("%(a", {"a": 1}),
    ("%(a)", {"a": 1}), ("%(b)s", {"a": 1}), ("%(a)s%(b)s", {"a": 1, "b": "x"}),
    ("%(a(b))s", {"a(b)": 3}), ("%()s", {"": "empty"}), ("%ld", 5), ("%hd", 5),
    ("%Lf", 5.0), ("%l", 5), ("%#o", 8), ("%#X", 255), ("%#x", -255),
    ("%.5x", -255), ("%#.5x", -255), ("%#.5X", 255), ("%+05d", 3),
    ("%-05d", 3), ("% d", 3), ("% +d", 3), ("%+ d", -3), ("%05s", "ab"),
    ("%.1s", "ab"), ("%#.0f", 1.0), ("%#g", 1.0), ("%#.0e", 1.0),
    ("%010.3f", -3.14159), ("%010f", float("inf")), ("%010f", float("nan")),
    ("%+f", float("nan")), ("%-010f", float("-inf")), ("%r", "a"),
    ("%a", "\u00e9\U0001f600"), ("%5.3s", "abcdef"), ("%-5.3s|", "abcdef"),
    ("%s", 3), ("%i", True), ("%s", True), ("%r", True), ("%f", True),
    ("%x", True), ("%.0f", 0.5), ("%.0f", 1.5), ("%.0f", 2.5), ("%.2f", 2.675),
    ("%e", 0), ("%g", 1e-5), ("%g", 123456789), ("%G", 1e100),
    ("%F", float("inf")), ("%E", float("-inf")), ("%d %d", (1, 2, 3)),
    ("%%", ()), ("%%", 1), ("", 1), ("", ()), ("", {}), ("%s", ()),
    ("%(a)d", {"a": "x"}), ("%.50f", 1.5), ("%\u00e9", 1), ("%\x01", 1),
    ("%\x1f", 1), ("%~", 1), ("%*d", (2**70, 1)), ("%.*d", (2**40, 1)),
    ("%99999999999999999999d", 1), ("%.99999999999d", 1), ("%.2147483647", 1),
    ("%s", None), ("%r", None), ("%s %r %a", ("\u00e9", "\u00e9", "\u00e9")),
    ("%.3r", "abcdef"), ("%5.1a", "\u00e9"), ("%s", 1.0), ("%s", 1e16),
    ("%r", -0.0), ("%-+8.3e|", 12345.678), ("%+#8.0e|", 12345.678),
    ("% 08.2f", 3.14159), ("%0-8.2f|", -3.14159), ("%#08x", 255),
    ("%#-8x|", 255), ("%#8o", 8), ("%#08o", -8), ("%+#08X", 255), ("% #x", 255),
    ("%08.3d", -5), ("%-8.3d|", 5), ("%.0d", 0), ("%.0x", 0), ("%#.0o", 0),
    ("%u", -7), ("%3$s", 1), ("%*s", (5,)), ("%*", (5,)), ("%.*", (5,)),
    ("%-*d|", (6, 42)), ("%*.*s|", (-6, 2, "abcdef")), ("%s%", (1,)),
    ("%(a)s %(a)r", {"a": "q"}), ("%(a)s", {"a": {"b": 1}}), ("%s", {}),
    ("%d%%", 50), ("%s%%%s", (1, 2)), ("100%% %s", "sure"), ("%d", 10**30),
    ("%x", -10**30), ("%e", 10**400), ("%d", True), ("%(a)", {}),
    ("%(a)99999999999999999999d", {}), ("%*.99999999999d", ()),
    ("%s %", ()), ("%s %", (1,)), ("%s %y", ()), ("%d %s", ("x", 1)),
]

PCT_CONVS = "sradiuoxXeEfFgGc"
PCT_VALUES = INTS[:20] + [True, False, None, "", "abc", "\u00e9x", "Z"] + \
    [v for v in FLOATS[:60] if abs(v) < 1e30 or v != v or abs(v) == float("inf")]


def pct_value_for(conv):
    r = rng.random()
    if r < 0.1:
        return pick(PCT_VALUES)
    if conv in "sra":
        return pick(PCT_VALUES)
    if conv in "diuoxX":
        return pick(INTS[:22]) if rng.random() < 0.8 else pick(FLOATS[:30])
    if conv in "eEfFgG":
        return pick(FLOATS) if rng.random() < 0.85 else pick(INTS[:20])
    if conv == "c":
        return pick([65, 97, 0x1F600, 0xE9, "q", "\u00e9", 48])
    return 1


def rand_directive(args):
    d = "%"
    flags = "".join(rng.sample("-+ #0", rng.randint(0, 3))) if rng.random() < 0.6 else ""
    d += flags
    r = rng.random()
    if r < 0.1:
        d += "*"
        args.append(rng.randint(-12, 12))
    elif r < 0.5:
        d += str(rng.randint(0, 15))
    r = rng.random()
    if r < 0.08:
        d += ".*"
        args.append(rng.randint(-3, 12))
    elif r < 0.45:
        d += "." + str(rng.randint(0, 12))
    elif r < 0.5:
        d += "."
    if rng.random() < 0.03:
        d += pick("hlL")
    conv = pick(PCT_CONVS) if rng.random() < 0.97 else pick("yz%!")
    d += conv
    args.append(pct_value_for(conv))
    return d


def gen_percent():
    cases = []
    for fmt, args in PCT_EDGE:
        cases.append([fmt, enc_args(args), run(lambda: fmt % args)])
    for _ in range(1000):
        args = []
        parts = []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            if rng.random() < 0.3:
                parts.append(pick(["x", " ", "ab=", "\u00e9", "%%", "[", "]"]))
            parts.append(rand_directive(args))
        fmt = "".join(parts)
        if rng.random() < 0.05:
            args.append(1)  # one too many
        if len(args) == 1 and rng.random() < 0.5 and not isinstance(args[0], tuple):
            a = args[0]
        else:
            a = tuple(args)
        out = run(lambda: fmt % a)
        if isinstance(out, str) and len(out) > 120:
            continue
        cases.append([fmt, enc_args(a), out])
    # Mapping keys.
    for _ in range(80):
        keys = ["a", "b", "long key", ""]
        d = {k: pct_value_for("s") for k in rng.sample(keys, 3)}
        k = pick(keys)
        conv = pick("sdrfx")
        d[k] = pct_value_for(conv)
        fmt = "%(" + k + ")" + pick(["", "5", "-6", "08.2", ".1"]) + conv
        if rng.random() < 0.4:
            fmt += " and %(" + pick(keys) + ")s"
        cases.append([fmt, enc_args(d), run(lambda: fmt % d)])
    return cases


def main():
    data = {
        "python": sys.version.split()[0],
        "int": gen_int(),
        "float": gen_float(),
        "str": gen_str(),
        "base": gen_base(),
        "percent": gen_percent(),
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # One case per line keeps diffs of the golden file readable.
    text = text.replace("],[", "],\n[")
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
        f.write("\n")
    counts = {k: len(v) for k, v in data.items() if isinstance(v, list)}
    print("wrote", OUT, len(text.encode()), "bytes", counts)


if __name__ == "__main__":
    main()
