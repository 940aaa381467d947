#!/usr/bin/env python3.9
"""Writes spec/tests/data/str_methods_golden.json: CPython 3.9's own answers
for the methods of str and bytes, which spec/tests/str_methods.rs checks
pyreg_spec::builtins::call_builtin against.

Run with CPython 3.9 (the outputs are 3.9's; Unicode data and some messages
changed later):
    PYENV_VERSION=3.9.18 python3.9 scripts/gen_str_methods_golden.py

The file is one object (UTF-8, compact, under 200 KB):
- "cases": a list of [method, receiver, args, expected] or [method,
  receiver, args, expected, kwargs]. `receiver` is a value, or null for a
  call on the type (`str.maketrans(...)`, whose method is then written
  "str.maketrans"); `args` is a list of values and `kwargs` a list of
  [name, value]. `expected` is repr(result) (a string) or [exception class
  name, str(exception)].
- "unicode": CPython's character database as str methods see it: "props"
  maps a predicate (isalpha, ..., plus "idcontinue", meaning
  ("a" + c).isidentifier()) to the code points for which chr(cp).<predicate>()
  is true, as a flat list [gap, length, gap, length, ...] of ranges, each
  gap counted from the end of the previous range; "maps" lists the
  code points whose upper(), lower(), title() or casefold() differ from
  the character itself, as [first, count, step, upper, lower, title,
  casefold] runs: the code points first, first + step, ... (count of them)
  share the four mappings, each written as an int (the mapping is the
  single code point cp + int) or a list of code points. (swapcase() of one
  character follows: lower() if it isupper(), upper() if it islower().)

Values: JSON null, booleans, strings and numbers (ints below 2**53) stand
for themselves; anything else is an object with one key: {"i": decimal
text} a big int, {"f": 16 hex digits} a float (IEEE-754 bits), {"c": [re
bits, im bits]} a complex, {"u": [code points]} a str with lone surrogates
(JSON cannot carry them), {"y": hex} bytes, {"ba": hex} a bytearray,
{"t": [...]} a tuple, {"l": [...]} a list, {"d": [[key, value], ...]} a
dict.
"""

import json
import os
import struct
import sys

assert sys.version_info[:2] == (3, 9), "run with CPython 3.9"

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "spec", "tests", "data", "str_methods_golden.json",
)


def fbits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def tag(v):
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v if abs(v) < 2 ** 53 else {"i": str(v)}
    if isinstance(v, float):
        return {"f": fbits(v)}
    if isinstance(v, complex):
        return {"c": [fbits(v.real), fbits(v.imag)]}
    if isinstance(v, str):
        if any(0xD800 <= ord(c) < 0xE000 for c in v):
            return {"u": [ord(c) for c in v]}
        return v
    if isinstance(v, bytes):
        return {"y": v.hex()}
    if isinstance(v, bytearray):
        return {"ba": bytes(v).hex()}
    if isinstance(v, tuple):
        return {"t": [tag(x) for x in v]}
    if isinstance(v, list):
        return {"l": [tag(x) for x in v]}
    if isinstance(v, dict):
        return {"d": [[tag(k), tag(x)] for k, x in v.items()]}
    raise TypeError(type(v))


CASES = []
SEEN = set()


def case(recv, method, *args, **kwargs):
    """Records recv.method(*args, **kwargs); recv may be a type (str.maketrans)."""
    key = repr((recv, method, args, sorted(kwargs.items())))
    if key in SEEN:
        return
    SEEN.add(key)
    try:
        expected = repr(getattr(recv, method)(*args, **kwargs))
    except Exception as e:  # every failure is data
        expected = [type(e).__name__, str(e)]
    if isinstance(recv, type):
        name, tr = recv.__name__ + "." + method, None
    else:
        name, tr = method, tag(recv)
    row = [name, tr, [tag(a) for a in args], expected]
    if kwargs:
        row.append([[k, tag(v)] for k, v in kwargs.items()])
    CASES.append(row)


# ---------------------------------------------------------------------------
# Receivers

TEXTS = [
    "", "a", "A", "abc", "ABC", "Hello World", "hello world", "hELLO wORLD",
    "  spaced  out  ", "\t tab\n", "ABC def GHI", "MiXeD CaSe 123",
    "they're bill's friends from the UK", "a1b2c3", "123", "12.5", "  42  ",
    "-17", "+5", "0", "007", "\u01c5emal \u01c8udevit", "\u01c6", "\u01c4",
    "\u01c5", "\u00df", "stra\u00dfe", "\ufb01ne", "\u03a3\u0391\u03a3 \u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3",
    "\u1f48\u0394\u03a5\u03a3\u03a3\u0395\u038e\u03a3", "\u03ac\u03bb\u03c6\u03b1",
    "\u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8", "\ud55c\uad6d\uc5b4", "\u216b", "\u00b2\u00b3",
    "\u0661\u0662\u0663", "\u0663.\u0661\u0664", "\u00bd", "\u4e00\u4e8c\u4e09",
    "x\u2028y\u2029z", "a\x1cb\x1dc\x1ed\x1ff", "a\x85b\xa0c", "\u3000\u5168\u89d2\u3000",
    "hello_world", "_private", "9lives", "\u03b5=mc\u00b2", "\u0130stanbul", "\ufb03",
    "\u0149", "\u01f0", "\u0390", "\u1fb3", "\u1fbc", "\ufb05", "abc\ud800def",
    "\udcff", "\u0660\u0661\u0662", "\u2460\u2461", "\U0001d7d8\U0001d7d9",
    "\U0001f40d snake", "\u03a3", "a\u03a3", "a\u03a3b", "a\u03a3.", "a.\u03a3",
    "A\u03a3'", "\u10d0\u10d1\u10d2 \u10e5\u10d0\u10e0\u10d7\u10e3\u10da\u10d8",
    "\u13a0\u13a1 \uab70\uab71", "\u1e9e", "\u0345", "line1\nline2\r\nline3\rline4",
    "a\x0bb\x0cc", "\x00\x01", "caf\u00e9", "na\u00efve co\u00f6perate", "\u00c9COLE",
    "Ǉ ǈ ǉ", "ῼ ᾳ", "x_1", "class", "a-b", "\u0b95\u0bcd", "\u2167\u216f",
    "Σίσυφος", "ΣΑΣ.", "ΑΣ́", "\U00010400\U00010428",
]

ASCII_TEXTS = [t for t in TEXTS if t.isascii()][:12]

# Single characters are checked exhaustively against "unicode" below;
# these are about context (final sigma, title case, word boundaries).
for t in TEXTS:
    for meth in ["title", "swapcase"]:
        case(t, meth)
for t in TEXTS[::2]:
    case(t, "lower")
    case(t, "capitalize")
for t in TEXTS[::2]:
    for meth in ["istitle", "islower", "isupper"]:
        case(t, meth)
for t in TEXTS[::8]:
    for meth in ["upper", "casefold", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit",
                 "isidentifier", "isnumeric", "isprintable", "isspace", "split"]:
        case(t, meth)

# No arguments allowed.
case("a", "upper", 1)
case("a", "upper", x=1)
case("a", "isalpha", 1)
case("a", "title", 1)
case("a", "casefold", None)

# ---- padding
for t in ["", "a", "ab", "abc", "abc\ud800"]:
    for w in [-1, 3, 4, 5, 6]:
        case(t, "center", w)
        case(t, "ljust", w)
        case(t, "rjust", w)
    case(t, "center", 9, "*")
    case(t, "ljust", 6, "\u00e9")
    case(t, "rjust", 6, "-")
    case(t, "center", 10, "\U0001f40d")
for args in [(), (1, 2, 3), (5, 1), (5, "ab"), ("x",), (1.5,), (10 ** 30,), (5, ""), (True,)]:
    case("ab", "center", *args)
case("ab", "center", 3, fillchar="x")
case("ab", "ljust", width=3)

for t in ["", "1", "-1", "+1", "-42", "abc", "--", "+", "\u0661", " 1"]:
    for w in [0, 2, 3, 5]:
        case(t, "zfill", w)
for args in [(), ("x",), (1.5,), (1, 2), (10 ** 30,), (-5,)]:
    case("12", "zfill", *args)

# ---- expandtabs
for t in ["a\tb", "ab\tc\td", "12345678\tx", "a\nb\tc", "a\rb\tc", "x\t\u00e9\ty", "a\x0bb\tc"]:
    for n in [None, 0, 4]:
        if n is None:
            case(t, "expandtabs")
        else:
            case(t, "expandtabs", n)
    case(t, "expandtabs", tabsize=3)
for args, kw in [(("x",), {}), ((1.5,), {}), ((10 ** 30,), {}), ((1, 2), {}), ((), {"foo": 1}), ((2,), {"tabsize": 3}), ((True,), {})]:
    case("a\tb", "expandtabs", *args, **kw)

# ---- find family
HAY = ["abracadabra", "", "aaa", "\u65e5\u672c\u65e5\u672c", "abc\ud800abc"]
SUBS = ["a", "abra", "", "z", "aa", "\u672c", "\ud800"]
BOUNDS = [(), (1,), (-100,), (2, -2), (5, 2), (11,), (2, 10 ** 20)]
for h in HAY:
    for sub in SUBS:
        for b in (BOUNDS if h == "abracadabra" and sub in SUBS[:5] else BOUNDS[:1]):
            for meth in ["find", "rfind", "count"]:
                case(h, meth, sub, *b)
        if h in HAY[:2]:
            case(h, "index", sub)
            case(h, "rindex", sub)
for meth in ["find", "rfind", "index", "rindex", "count"]:
    case("abc", meth)
    case("abc", meth, 1)
    case("abc", meth, "a", 1, 2, 3)
    case("abc", meth, "a", "x")
    case("abc", meth, "a", 1.5)
    case("abc", meth, sub="a")
    case("abc", meth, "a", True)

# ---- startswith / endswith
for h in ["abracadabra", "\u65e5\u672c"]:
    for p in ["abra", "", ("x", "ab"), (), "\u672c"]:
        for b in [(), (1,), (-4,), (3, 2), (11,)]:
            case(h, "startswith", p, *b)
            case(h, "endswith", p, *b)
for meth in ["startswith", "endswith"]:
    case("abc", meth)
    case("abc", meth, 1)
    case("abc", meth, ("a", 1))
    case("abc", meth, ["a"])
    case("abc", meth, "a", 1, 2, 3)
    case("abc", meth, "a", "x")
    case("abc", meth, "a", foo=1)

# ---- split family
SPLIT_TEXTS = ["a,b,,c,", "a b  c ", "  lead and trail  ", "", ",", "a\tb\nc\x0bd\x0ce\x1cf\x85g\u2028h\u3000i",
               "a--b--c"]
for t in SPLIT_TEXTS:
    for sep in [None, ",", "--"]:
        for mx in [None, 1]:
            for meth in ["split", "rsplit"]:
                if mx is None:
                    case(t, meth, sep)
                else:
                    case(t, meth, sep, mx)
for meth in ["split", "rsplit"]:
    for args, kw in [((1,), {}), ((",", "x"), {}), ((",", 1, 2), {}), ((), {"foo": 1}), (("",), {}),
                     ((), {"sep": ","}), ((), {"maxsplit": 1}), ((",",), {"sep": ","}), ((",", 1.5), {}),
                     ((",", 10 ** 30), {}), ((), {"sep": None, "maxsplit": 1}), ((), {"a": 1, "b": 2, "c": 3}),
                     ((None, True), {})]:
        case("a,b c,d", meth, *args, **kw)

LINES = ["", "a", "a\n", "a\nb", "a\r\nb\rc\n\nd", "\n\n", "a\x0bb\x0cc\x1cd\x1de\x1ef\x85g\u2028h\u2029i",
         "\r", "\r\n", "\n\r", "x\x1fy", "no newline at end\r"]
for t in LINES:
    case(t, "splitlines")
    case(t, "splitlines", True)
for args, kw in [((1.5,), {}), (("x",), {}), ((1, 2), {}), ((), {"foo": 1}), ((10 ** 30,), {}), ((2,), {})]:
    case("a\nb", "splitlines", *args, **kw)

# ---- strip family
for t in ["  x  ", "xxhixx", "\t\n x \x1c\x1f", "\u3000x\u00a0\x85", ""]:
    for chars in [None, "x", "ab", ""]:
        for meth in ["strip", "lstrip", "rstrip"]:
            case(t, meth, chars)
for meth in ["strip", "lstrip", "rstrip"]:
    case("a", meth, 1)
    case("a", meth, 1, 2)
    case("a", meth, chars="a")

# ---- replace
for t in ["abcabc", "", "aaaa", "a\ud800a"]:
    for old, new in [("a", "x"), ("", "-"), ("abc", ""), ("aa", "b"), ("\ud800", "s")]:
        for count in [None, 1]:
            if count is None:
                case(t, "replace", old, new)
            else:
                case(t, "replace", old, new, count)
for args in [(1, "a"), ("a", 1), ("a",), ("a", "b", "c"), ("a", "b", 1.5), ("a", "b", 1, 2), ("a", "b", 10 ** 30)]:
    case("abc", "replace", *args)
case("abc", "replace", "a", "b", count=1)
case("aaaa", "replace", "a", "b", 2)
case("abc", "replace", "", "-", 2)

# ---- partition, removeprefix/suffix
for t in ["a=b=c", "abc", "", "=="]:
    for sep in ["=", "abc", "zz", "=="]:
        case(t, "partition", sep)
        case(t, "rpartition", sep)
for meth in ["partition", "rpartition"]:
    case("abc", meth, "")
    case("abc", meth, 1)
    case("abc", meth)
    case("abc", meth, "a", "b")
for t in ["prefix_body_suffix", "", "aaa"]:
    for a in ["prefix_", "_suffix", "", "aaaa", "prefix_body_suffix"]:
        case(t, "removeprefix", a)
        case(t, "removesuffix", a)
for meth in ["removeprefix", "removesuffix"]:
    case("abc", meth, 1)
    case("abc", meth)
    case("abc", meth, b"a")

# ---- join
for sep in ["", ", ", "-\ud800-"]:
    for items in [[], ["a"], ["a", "b", "c"], ("x", "y"), "abc", {"k": 1, "j": 2}]:
        case(sep, "join", items)
case(",", "join", ["a", 1])
case(",", "join", [b"a"])
case(",", "join", 1)
case(",", "join", None)
case(",", "join")
case(",", "join", ["a"], ["b"])
case(",", "join", ["a"], x=1)

# ---- encode
ENCODE_TEXTS = ["abc", "caf\u00e9", "\U0001f600", "a\ud800b", "\udc80\udcff", "\u00e9\u00e8x\u0100"]
for t in ENCODE_TEXTS:
    case(t, "encode")
    for enc in ["ascii", "Latin_1", "utf-16", "utf-16-be", "utf-32-le", " utf 8 "]:
        case(t, "encode", enc)
for t in ENCODE_TEXTS[1:3] + ENCODE_TEXTS[4:]:
    for enc in ["ascii", "utf-8"]:
        for errors in ["ignore", "replace", "backslashreplace", "xmlcharrefreplace", "surrogateescape",
                       "surrogatepass", "bogus"]:
            case(t, "encode", enc, errors)
case("\u00e9", "encode", errors="replace")
for args, kw in [((1,), {}), (("bogus",), {}), (("ascii", 1), {}), (("a", "b", "c"), {}), ((), {"encoding": "ascii"}),
                 ((), {"foo": 1}), (("utf-8",), {"encoding": "ascii"}), (("\u00e9",), {})]:
    case("\u00e9", "encode", *args, **kw)

# ---- format
class Obj:
    pass

FORMATS = [
    ("{}", (1,), {}), ("{} {}", (1, 2), {}), ("{0} {1} {0}", ("a", "b"), {}), ("{1}{0}", (1, 2), {}),
    ("{x}-{y}", (), {"x": 1, "y": "why"}), ("{0}{x}", (1,), {"x": 2}), ("{{}}", (), {}), ("{{{}}}", (5,), {}),
    ("}}{{", (), {}), ("{!r}", ("x",), {}), ("{!s}", ("x",), {}), ("{!a}", ("\u00e9",), {}), ("{0!r:>10}", ("x",), {}),
    ("{:>8}", ("abc",), {}), ("{:<8}|", ("abc",), {}), ("{:^9}", ("abc",), {}), ("{:*^9}", ("abc",), {}),
    ("{:.2}", ("abcdef",), {}), ("{:08.3f}", (3.14159,), {}), ("{:,}", (1234567,), {}), ("{:x}", (255,), {}),
    ("{:#b}", (5,), {}), ("{:e}", (12345.678,), {}), ("{:%}", (0.25,), {}), ("{:{}}", ("x", 5), {}),
    ("{:{w}.{p}f}", (2.5,), {"w": 10, "p": 3}), ("{0:{1}}", (1, "x"), {}), ("{0[0]}", ([7, 8],), {}),
    ("{0[1]}", ((7, 8),), {}), ("{0[key]}", ({"key": "v"},), {}), ("{0[5]}", ({5: "five"},), {}),
    ("{a[0][1]}", (), {"a": [[1, 2]]}), ("{0.real}", (3 + 4j,), {}), ("{0.imag:.1f}", (3 + 4j,), {}),
    ("{0.real.real}", (5,), {}), ("{}", ("\u65e5\u672c",), {}), ("{:>5}", ("\u65e5",), {}),
    ("{}", ([1, "a"],), {}), ("{}", (None,), {}), ("{}", (True,), {}), ("{:d}", (True,), {}),
    ("{}", ((1,),), {}), ("{}", ({"a": 1},), {}), ("{}", (b"x",), {}), ("{}", (1.5,), {}), ("{}", (1e100,), {}),
    ("{:g}", (1e-5,), {}), ("{:>{}}", ("a", 3), {}), ("{:{}{}}", ("a", ">", 4), {}),
    ("x{}y{}z", ("1", "2"), {}), ("{\u0663}", (0, 1, 2, 3), {}), ("{0!r}", ("a\ud800",), {}),
    ("{}", ("a\ud800",), {}), ("{0}", ("a\ud800",), {}), ("\ud800{}", (1,), {}),
    # errors
    ("{", (), {}), ("}", (), {}), ("a}b", (), {}), ("{0", (1,), {}), ("{0!}", (1,), {}), ("{0!x}", (1,), {}),
    ("{0!rr}", (1,), {}), ("{0!r", (1,), {}), ("{0:", (1,), {}), ("{0[}", ([1],), {}), ("{0]}", ([1],), {}),
    ("{0.}", ([1],), {}), ("{0[]}", ([1],), {}), ("{0[0]x}", ([1],), {}), ("{0}{}", (1, 2), {}),
    ("{}{0}", (1, 2), {}), ("{:{:{}}}", (1, 2, 3), {}), ("{a.b}", (), {"a": 1}), ("{0[a]}", ([1],), {}),
    ("{0[-1]}", ([1],), {}), ("{0[5]}", ([1],), {}), ("{99999999999999999999}", (0,), {}),
    ("{a{b}", (), {"a": 1}), ("{0!\u00e9}", (1,), {}), ("{0:d}", ("x",), {}), ("{0:>5}", ([1],), {}),
    ("{:}", ([1],), {}), ("{a}", (), {}), ("{0}", (), {}), ("{1}", (1,), {}), ("{}{}", (1,), {}),
    ("{0[1}", ([1],), {}), ("{!}", (1,), {}), ("{:{}}", (1,), {}), ("{0.__class__}", (1,), {}),
    ("{0:x}", (1.5,), {}), ("{0:,d}", ("s",), {}), ("{0:=5}", ("s",), {}), ("{0!s:}", (1,), {}),
    ("{0!r}{1!a}", ("\u00e9", "\u00e9"), {}), ("{a}", (), {"b": 1}), ("{0:{a}}", (1,), {}),
    ("{ }", (), {" ": 1}), ("{0.x.y}", (1,), {}), ("{0[0].real}", ([2],), {}), ("{0:}}", (1,), {}),
]
for fmt, args, kwargs in FORMATS:
    case(fmt, "format", *args, **kwargs)
case(str, "format", "{}", 1)
case(str, "format", 1, 2)

for fmt, mapping in [("{a}", {"a": 1}), ("{a} {b!r}", {"a": 1, "b": "x"}), ("{0}", {}), ("{}", {}), ("{a}", {}),
                     ("{a}", 1), ("{a[0]}", {"a": [5]}), ("{a:>{w}}", {"a": "x", "w": 4}), ("plain", {}), ("{a}", ["x"])]:
    case(fmt, "format_map", mapping)
case("{a}", "format_map")
case("{a}", "format_map", {}, {})

# ---- maketrans / translate
for args in [("abc", "xyz"), ("", "", "aeiou"), ("ab", "cd", "e"), ({"a": "1", "b": None, "c": "33"},),
             ({97: 98, "z": "Z"},), ({True: 1},), (), (1,), ("a", 1), (1, "a"), ("ab", "a"), ({"ab": 1},),
             ({1.5: 1},), ("a", "b", 1), ("aa", "xy"), ({},), ("\u00e9", "e")]:
    case(str, "maketrans", *args)
case(str, "maketrans", x={})
# pyreg cannot tell str.maketrans(a, b, c, d) (an error) from
# "s".maketrans(a, b, c), so the golden data has only the latter.
case("ignored", "maketrans", "abc", "xyz")
case("ignored", "maketrans", {"a": "b"})
case("ignored", "maketrans", "ab", "cd", "e")

TABLES = [
    str.maketrans("abc", "xyz"), str.maketrans({"a": "1", "b": None, "c": "33"}), str.maketrans("", "", "aeiou"),
    {97: "\u00e9"}, {97: 0x1F600}, {97: ""}, {97: None, 98: None}, {}, {97: 2 ** 40}, {97: -1}, {97: 1.5},
    {97: "AB", 98: 66}, {0xe9: "e"}, {97: True},
]
for t in ["aabbcc-abc", "caf\u00e9", "a\ud800a"]:
    for table in TABLES:
        case(t, "translate", table)
case("abc", "translate", [chr(i).upper() for i in range(100)])
case("abc", "translate")
case("abc", "translate", 1)
case("abc", "translate", {}, {})

# ---- descriptors on the wrong type
case(str, "upper", 1)
case(str, "join", 1, [])
case(str, "upper")
case(str, "split", b"a b")
case(bytes, "upper", "a")
case(bytes, "upper")

# ---------------------------------------------------------------------------
# bytes

BTEXTS = [b"", b"hello world", b"Hello World", b"  pad  ", b"\x00\xff\x80", b"123",
          b"\t\n\x0b\x0c\r \x1c", b"They're Bill's", b"x\ny\r\nz\r"]
for t in BTEXTS:
    for meth in ["upper", "lower", "swapcase", "capitalize", "title", "isalpha", "isdigit", "isalnum", "isspace",
                 "islower", "isupper", "istitle", "isascii", "split", "rsplit", "strip", "lstrip", "rstrip",
                 "splitlines", "hex", "decode", "expandtabs"]:
        case(t, meth)
    case(t, "splitlines", True)
    case(t, "decode", "latin-1")
for meth in ["upper", "isalpha"]:
    case(b"a", meth, 1)
    case(b"a", meth, x=1)

for t in [b"\xff", b"\xe2\x82", b"a\xe2\x28\xa1", b"\xf0\x90\x28", b"\xc0\xaf", b"\xed\xa0\x80", b"ok\xe2\x82\xac", b"a\x80b\x81", b"\xe2\x82\xe2\x82\xac"]:
    case(t, "decode", "ascii")
    for errors in ["strict", "replace"]:
        case(t, "decode", "utf-8", errors)
case(b"a\xffb\xfe", "decode", "utf-8", "surrogateescape")
case(b"a\xffb", "decode", "ascii", "backslashreplace")
case(b"a\xffb", "decode", "utf-8", "ignore")
case(b"a\xffb", "decode", "utf-8", "bogus")
case(b"a\xed\xa0\x80b", "decode", "utf-8", "surrogatepass")
case(b"a\xffb", "decode", "utf-8", "surrogatepass")
case(b"\x00\xd8a\x00", "decode", "utf-16-le", "surrogatepass")
case(b"\xe9\x80\xff", "decode", "utf-32", "surrogateescape")
case("\udc80\u00e9x", "encode", "ascii", "surrogateescape")
case("a\udcff\ud800", "encode", "utf-8", "surrogateescape")
case("\udc80", "encode", "utf-16-le", "surrogatepass")
case("\udc80", "encode", "utf-16-le", "surrogateescape")
for t in [b"\xff\xfeh\x00i\x00", b"\x00h\x00i", b"=\xd8\x00\xde", b"\xff\xfe\x00\x00h\x00\x00\x00",
          ]:
    for enc in ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]:
        case(t, "decode", enc)
for t in [b"A\x00B", b"A\x00\x00\xdcB\x00", b"A\x00\x00\xd8B\x00", b"A\x00\x00\xd8", b"A\x00\x00\xd8\x00",
          b"\xfe\xff\x00A\xdc\x00", b"", b"\xff\xfe"]:
    case(t, "decode", "utf-16")
    case(t, "decode", "utf-16-le", "replace")
for t in [b"A\x00\x00\x00\x00\xd8\x00\x00", b"A\x00\x00\x00B\x00", b"\x00\x00\xfe\xff\x00\x11\x00\x00"]:
    case(t, "decode", "utf-32")
    case(t, "decode", "utf-32-le", "replace")
for args, kw in [((1,), {}), (("bogus",), {}), (("utf-8", 1), {}), ((), {"encoding": "latin-1"}), ((), {"foo": 1}),
                 (("a", "b", "c"), {})]:
    case(b"abc", "decode", *args, **kw)

for t in [b"", b"\x01\x02\x03\x04\x05"]:
    for args in [(), (":",), (b"-",), (":", 2), (":", -2), (" ", 3), ("_", 0), ("::",), ("\u00e9",), (1,), (b"\xff",)]:
        case(t, "hex", *args)
case(b"ab", "hex", sep=":", bytes_per_sep=1)
for s in ["deadbeef", "DE AD be ef", "", "zz", "a", "0 1", " 01 ", "01\n02", "\u00e9", "0\u00e9", "1 2 3", "\t0a"]:
    case(bytes, "fromhex", s)
case(bytes, "fromhex", 1)
case(bytes, "fromhex", b"00")
case(b"", "fromhex", "ab")

BHAY = [b"abracadabra", b"", b"aaa"]
for h in BHAY:
    for sub in [b"a", b"abra", b"", 97, 256, "a", bytearray(b"ra")]:
        for b in [(), (1,), (3, 2)]:
            for meth in ["find", "rfind", "count"]:
                case(h, meth, sub, *b)
        case(h, "index", sub)
        case(h, "rindex", sub)
for p in [b"abra", b"", (b"x", b"ab"), "a", ("a",), (b"a", 1), bytearray(b"ab"), 1]:
    for b in [(), (-4,)]:
        case(b"abracadabra", "startswith", p, *b)
        case(b"abracadabra", "endswith", p, *b)
for t in [b"a,b,,c,", b"a b  c ", b"", b"a\x1cb\x85c"]:
    for sep in [None, b",", "x", bytearray(b",")]:
        for mx in [None, 1]:
            for meth in ["split", "rsplit"]:
                if mx is None:
                    case(t, meth, sep)
                else:
                    case(t, meth, sep, mx)
case(b"a b", "split", b"")
case(b"a b", "split", sep=b" ", maxsplit=1)
for t in [b"  x  ", b"xxhixx", b"\x1cx\x1c", b""]:
    for chars in [None, b"x", b"", "x", bytearray(b"x")]:
        for meth in ["strip", "lstrip", "rstrip"]:
            case(t, meth, chars)
case(b"a", "strip", b"a", b"b")
for t in [b"abcabc", b"aaaa"]:
    for old, new in [(b"a", b"x"), (b"", b"-"), (b"aa", b"b"), ("a", b"x"), (b"a", bytearray(b"y"))]:
        for count in [None, 1]:
            if count is None:
                case(t, "replace", old, new)
            else:
                case(t, "replace", old, new, count)
case(b"abc", "replace", b"a")
for sep in [b"", b", ", b"-"]:
    for items in [[], [b"a"], [b"a", b"b"], (b"x", bytearray(b"y")), [b"a", "b"], 1, [b"a", 1]]:
        case(sep, "join", items)
for t in [b"", b"abc"]:
    for w in [0, 5, 6]:
        for meth in ["center", "ljust", "rjust"]:
            case(t, meth, w)
            case(t, meth, w, b"*")
case(b"a", "center", 3, "x")
case(b"a", "center", 3, b"xy")
case(b"a", "center", 3, bytearray(b"x"))
case(b"a", "center")
for t in [b"", b"1", b"-1", b"+12", b"abc"]:
    for w in [0, 3, 5]:
        case(t, "zfill", w)
for t in [b"a=b=c", b"abc", b""]:
    for sep in [b"=", b"abc", b"z", "=", b""]:
        case(t, "partition", sep)
        case(t, "rpartition", sep)
for t in [b"prefix_body", b""]:
    for a in [b"prefix_", b"body", b"", "p", bytearray(b"pre")]:
        case(t, "removeprefix", a)
        case(t, "removesuffix", a)
for t in [b"a\tb", b"ab\tc\r\td", b"\t"]:
    for n in [None, 0, 4]:
        if n is None:
            case(t, "expandtabs")
        else:
            case(t, "expandtabs", n)


# ---------------------------------------------------------------------------
# The character database

def ranges(cps):
    out = []
    for c in cps:
        if out and out[-1][1] == c - 1:
            out[-1][1] = c
        else:
            out.append([c, c])
    return out


def flat(rs):
    """Ranges as [gap, length, gap, length, ...], each gap counted from
    the end of the previous range (the first from 0)."""
    out, end = [], 0
    for a, b in rs:
        out += [a - end, b - a + 1]
        end = b + 1
    return out


PROPS = {}
for name in ["isspace", "isalpha", "isdecimal", "isdigit", "isnumeric", "isidentifier", "islower", "isupper",
             "istitle"]:
    PROPS[name] = flat(ranges([cp for cp in range(0x110000) if getattr(chr(cp), name)()]))
PROPS["idcontinue"] = flat(ranges([cp for cp in range(0x110000) if ("a" + chr(cp)).isidentifier()]))


def mapping(cp, s):
    if len(s) == 1:
        return ord(s) - cp
    return [ord(c) for c in s]


entries = []
for cp in range(0x110000):
    c = chr(cp)
    ms = [c.upper(), c.lower(), c.title(), c.casefold()]
    if any(m != c for m in ms):
        entries.append((cp, [mapping(cp, m) for m in ms]))
MAPS = []
for cp, ms in entries:
    if MAPS:
        run = MAPS[-1]
        first, count, step = run[0], run[1], run[2]
        last = first + (count - 1) * step
        if run[3:] == ms:
            if count == 1 and cp - first in (1, 2):
                run[1], run[2] = 2, cp - first
                continue
            if count > 1 and cp == last + step:
                run[1] += 1
                continue
    MAPS.append([cp, 1, 1] + ms)

with open(OUT, "w", encoding="utf-8") as f:
    json.dump({"cases": CASES, "unicode": {"props": PROPS, "maps": MAPS}}, f, separators=(",", ":"), ensure_ascii=False)
    f.write("\n")
print("%d cases, %d map runs, %d bytes" % (len(CASES), len(MAPS), os.path.getsize(OUT)))
