"""Writes spec/tests/data/hash_golden.json: CPython 3.9's hash() of values of
every hashable constant kind, the ground truth for spec/src/pyhash.rs.

Run: PYENV_VERSION=3.9.18 python3.9 scripts/gen_hash_golden.py

The script re-executes itself with PYTHONHASHSEED=0 (the all-zero SipHash
key that pyhash.rs specifies), so its output is the same from run to run.

Values are encoded as in repr_golden.json, so that JSON carries them exactly:
  ["bool", true]
  ["int", "<decimal>"]               (JSON numbers would lose big ints)
  ["float", "<16 hex digits>"]       (the IEEE bits, struct.pack('>d'))
  ["complex", "<hex re>", "<hex im>"]
  ["str", [code points]]             (lone surrogates survive)
  ["bytes", "<hex>"]
  ["tuple", [values]], ["frozenset", [values in iteration order]]
None, Ellipsis and code objects are left out: in 3.9 the first two hash by
address, and code objects hash their constants, None among them.

"cases" maps each kind to a list of [value, hash]; "hash_info" records
sys.hash_info so the test can check the build matches what pyhash.rs assumes.
"""
import json
import math
import os
import random
import struct
import sys

assert sys.version_info[:2] == (3, 9), "run this with CPython 3.9"

if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

rng = random.Random(3918)
M = 2 ** 64
P = sys.hash_info.modulus
inf, nan = float("inf"), float("nan")


def bits(f):
    return struct.pack(">d", f).hex()


def from_bits(h):
    return struct.unpack(">d", bytes.fromhex(h))[0]


def enc(v):
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
    raise TypeError(type(v))


cases = {k: [] for k in
         ["str", "bytes", "int", "bool", "float", "complex", "tuple",
          "frozenset"]}


def add(v):
    kind = enc(v)[0]
    cases[kind].append([enc(v), hash(v)])


def add_float_bits(h):
    """Adds a float by bit pattern, so NaN payloads and signs are kept."""
    cases["float"].append([["float", h], hash(from_bits(h))])


def random_text(length, alphabet):
    return "".join(chr(rng.choice(alphabet)) for _ in range(length))


# ---- str -------------------------------------------------------------------
ASCII = list(range(0x80))
LATIN1 = list(range(0x80, 0x100))
BMP = list(range(0x100, 0xd800)) + list(range(0xe000, 0x10000))
SURROGATES = list(range(0xd800, 0xe000))
ASTRAL = list(range(0x10000, 0x110000))

for s in ["", "a", "b", "\x00", "\x00\x00", "hello", "hello world",
          "__main__", "__init__", "self", "print", "None", "x" * 7,
          "x" * 8, "x" * 9, "caf\xe9", "\xe9", "\xff", "\xff" * 8,
          "\u0100", "\u20ac", "\u4e2d\u6587", "\uffff", "\U00010000",
          "\U0001f600", "\U0010ffff", "a\u0100", "\xe9\u0100",
          "\xe9\U0001f600", "\u0100\U0001f600", "\ud800", "\udfff",
          "\ud83d\ude00", "a\udc80b", "\ud800\U0001f600", "\xe9\ud800",
          "\ud800" * 4]:
    add(s)
# Every message length from 0 to 40 bytes in each storage width, so every
# tail length of the last SipHash block is covered.
for n in range(0, 41):
    add(random_text(n, ASCII))
    add(random_text(n, LATIN1))
    add(random_text(n, ASCII + LATIN1))
for n in range(1, 21):
    add(random_text(n, BMP))
    add(random_text(n, ASCII + BMP))
    add(random_text(n, SURROGATES + ASCII))
for n in range(1, 11):
    add(random_text(n, ASTRAL))
    add(random_text(n, ASCII + LATIN1 + BMP + ASTRAL))
    add(random_text(n, SURROGATES + ASTRAL))
# The same text in each width: a Latin-1 string, then with one wider char.
base = "d\xe9j\xe0 vu"
add(base)
add(base + "\u0101")
add(base + "\U0001f600")
# SipHash only keeps the length's low byte; lengths 255..257 and longer.
for n in [255, 256, 257, 300, 512, 1000]:
    add(random_text(n, ASCII))
for n in [128, 129, 256]:
    add(random_text(n, BMP))
    add(random_text(n, ASTRAL))
for _ in range(100):
    pools = rng.choice([ASCII, LATIN1, BMP, ASTRAL, SURROGATES,
                        ASCII + BMP, LATIN1 + ASTRAL, ASCII + SURROGATES])
    add(random_text(rng.randrange(1, 64), pools))

# ---- bytes -----------------------------------------------------------------
for b in [b"", b"\x00", b"a", b"abc", b"\xff" * 8, bytes(range(256)),
          "caf\xe9".encode("latin-1"), "\u20ac".encode("utf-8")]:
    add(b)
for n in range(0, 41):
    add(bytes(rng.randrange(256) for _ in range(n)))
for n in [255, 256, 257, 1000]:
    add(bytes(rng.randrange(256) for _ in range(n)))
for _ in range(60):
    add(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 100))))

# ---- int -------------------------------------------------------------------
ints = set(range(-300, 301))
for base_value in [2 ** 15, 2 ** 30, 2 ** 31, 2 ** 32, 2 ** 60, 2 ** 61,
                   2 ** 62, 2 ** 63, 2 ** 64, 2 ** 90, 2 ** 122, 2 ** 128,
                   P, 2 * P, 3 * P, P * P, P ** 3]:
    for d in range(-3, 4):
        ints.add(base_value + d)
        ints.add(-(base_value + d))
ints.update([10 ** 18, 10 ** 19, 10 ** 50, -10 ** 50, 10 ** 100, 3 ** 200,
             -(7 ** 300), 2 ** 1000 - 1, -(2 ** 1000), 2 ** 4000 + 12345,
             -(P + 1), P - 1, 1 - P, -(2 * P + 1)])
for _ in range(300):
    ints.add(rng.randrange(-2 ** 63, 2 ** 63))
for _ in range(150):
    ints.add(rng.randrange(-2 ** 300, 2 ** 300) >> rng.randrange(0, 300))
for i in sorted(ints):
    add(i)
add(True)
add(False)

# ---- float -----------------------------------------------------------------
specials = [0.0, -0.0, inf, -inf, nan, -nan, 1.0, -1.0, 2.0, -2.0, 0.5,
            -0.5, 0.25, 1.5, 0.1, -0.1, 0.2, 0.3, 1 / 3, math.pi, math.e,
            1e15, 1e16, 1e22, 1e300, -1e300, 1e-300, 5e-324, -5e-324,
            sys.float_info.max, -sys.float_info.max, sys.float_info.min,
            sys.float_info.epsilon, 2.0 ** 52, 2.0 ** 53, 2.0 ** 60,
            2.0 ** 61, 2.0 ** 62, 2.0 ** 63, 2.0 ** 64, -2.0 ** 63,
            float(P), float(2 ** 61 - 2 ** 8), 2.0 ** -1, 2.0 ** -60,
            2.0 ** -61, 2.0 ** -62, 2.0 ** -1022, 2.0 ** -1074,
            -(2.0 ** -1074), 123456789.123456789, 9007199254740993.0]
for f in specials:
    add(f)
for h in ["7ff8000000000001", "fff8000000000000", "7ff0000000000001",
          "ffffffffffffffff", "7fefffffffffffff", "0000000000000001",
          "000fffffffffffff", "0010000000000000", "8000000000000001"]:
    add_float_bits(h)
for e in range(-1074, 1024, 11):
    add(2.0 ** e)
    add(-(2.0 ** e) * 1.75)
for _ in range(150):
    add(from_bits("%016x" % rng.randrange(1, 1 << 52)))
for _ in range(300):
    add_float_bits("%016x" % rng.getrandbits(64))
# Integral floats, which must hash like the equal ints (added above too).
for _ in range(150):
    add(float(rng.randrange(-2 ** 70, 2 ** 70) >> rng.randrange(0, 70)))
for _ in range(100):
    add(round(rng.uniform(-1e6, 1e6), rng.randrange(0, 8)))

# ---- complex ---------------------------------------------------------------
parts = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, -2.5, 1e16, 1e-5, 1e300, 5e-324,
         inf, -inf, nan, 2.0 ** 61]
for a in parts:
    for b in parts:
        add(complex(a, b))
# hash(re) + 1000003 * hash(im) == -1, which becomes -2.
add(complex(-1000004.0, 1.0))
add(complex(-2000007.0, 2.0))
for _ in range(100):
    add(complex(from_bits("%016x" % rng.getrandbits(64)),
                from_bits("%016x" % rng.getrandbits(64))))
for _ in range(100):
    add(complex(round(rng.uniform(-1e3, 1e3), rng.randrange(0, 6)),
                round(rng.uniform(-1e3, 1e3), rng.randrange(0, 6))))

# ---- containers ------------------------------------------------------------
XXPRIME_1 = 11400714785074694791
XXPRIME_2 = 14029467366897019727
XXPRIME_5 = 2870177450012600261


def signed(u):
    return u - M if u >= M // 2 else u


def lane_for_minus_one(first):
    """An int n with hash((first, n)) == -1 before the fix-up, or None.

    Runs the tuple hash backwards from the final value 2**64 - 1: every
    step (add, rotate, multiply by an odd prime) is invertible mod 2**64.
    """
    acc = (XXPRIME_5 + (hash(first) % M) * XXPRIME_2) % M
    acc = ((acc << 31) | (acc >> 33)) % M
    acc = acc * XXPRIME_1 % M
    want = (M - 1 - (2 ^ (XXPRIME_5 ^ 3527539))) % M
    want = want * pow(XXPRIME_1, -1, M) % M
    want = ((want >> 31) | (want << 33)) % M
    lane = signed((want - acc) * pow(XXPRIME_2, -1, M) % M)
    # An int whose magnitude is below P and which is not -1 hashes to itself.
    return lane if abs(lane) < P and lane != -1 else None


def shuffle_bits(h):
    return ((h ^ 89869747) ^ (h << 16)) * 3644798167 % M


def element_for_minus_one(first):
    """An int n with hash(frozenset({first, n})) == -1 before the fix-up."""
    h = (M - 1 - 907133923) * pow(69069, -1, M) % M
    # Undo h ^= (h >> 11) ^ (h >> 25): each pass fixes 11 more top bits.
    x = h
    for _ in range(8):
        x = h ^ (x >> 11) ^ (x >> 25)
    h = x ^ (3 * 1927868237 % M)
    want = h ^ shuffle_bits(hash(first) % M)
    u = (want * pow(3644798167, -1, M) % M) ^ 89869747
    # Undo u = n ^ (n << 16).
    n = u
    for _ in range(5):
        n = (u ^ (n << 16)) % M
    n = signed(n)
    if abs(n) < P and n != -1 and n != first:
        return n
    return None


first = 0
while (lane := lane_for_minus_one(first)) is None:
    first += 1
special_tuple = (first, lane)
assert hash(special_tuple) == 1546275796, hash(special_tuple)

first = 0
while (n := element_for_minus_one(first)) is None:
    first += 1
special_set = frozenset({first, n})
assert hash(special_set) == 590923713, hash(special_set)

leaves = [0, 1, -1, -2, 2 ** 61, -2 ** 64, 10 ** 30, True, False, 1.5,
          -0.0, inf, nan, 1e300, complex(1, 2), complex(-1000004.0, 1.0),
          "", "a", "caf\xe9", "\u20ac", "\U0001f600", "\ud800", b"", b"xyz"]


def random_value(depth):
    r = rng.random()
    if depth <= 0 or r < 0.5:
        return rng.choice(leaves)
    items = [random_value(depth - 1) for _ in range(rng.randrange(0, 6))]
    if r < 0.8:
        return tuple(items)
    return frozenset(items)


for t in [(), (1,), (1, 2), (2, 1), (-1,), (-2,), (-1, -2), ((),), ((), ()),
          (((),),), ("a", 1.5, (b"x", frozenset({1, 2}))),
          (1, 1.0, True, complex(1, 0)), (nan, inf, -inf),
          tuple(range(100)), tuple("abcdefgh"), special_tuple,
          (special_tuple,), (frozenset(),), (frozenset({special_set}),)]:
    add(t)
for s in [frozenset(), frozenset({1}), frozenset({1, 2, 3}),
          frozenset({-1}), frozenset({-2}), frozenset({-1, -2}),
          frozenset({0}), frozenset({0, 1}), frozenset({"a", "b"}),
          frozenset({1, 1.0, True}), frozenset({1.5, "x", b"y", (1, 2)}),
          frozenset(range(100)), frozenset(range(-50, 50, 3)),
          frozenset({frozenset(), frozenset({frozenset()})}),
          frozenset({(), ((),)}), frozenset({nan}), special_set,
          frozenset({special_set}), frozenset({special_tuple}),
          frozenset(str(i) for i in range(40))]:
    add(s)
for _ in range(100):
    add(tuple(random_value(3) for _ in range(rng.randrange(0, 5))))
for _ in range(80):
    add(frozenset(random_value(3) for _ in range(rng.randrange(0, 8))))

out = {
    "version": "%d.%d.%d" % sys.version_info[:3],
    "hash_info": {
        "width": sys.hash_info.width,
        "modulus": sys.hash_info.modulus,
        "inf": sys.hash_info.inf,
        "nan": sys.hash_info.nan,
        "imag": sys.hash_info.imag,
        "algorithm": sys.hash_info.algorithm,
        "cutoff": sys.hash_info.cutoff,
    },
    "cases": cases,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "spec",
                    "tests", "data", "hash_golden.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print("wrote %s: %s" % (os.path.normpath(path),
                        ", ".join("%d %s" % (len(v), k)
                                  for k, v in cases.items())))
