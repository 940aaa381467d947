# bytes, bytearray and complex beyond the other programs: the rest of the methods, slice
# assignment and deletion, codecs and their errors, bytes % args, complex arithmetic,
# parsing, formatting and errors
b = b"  hello world  \r\nsecond line\nthird"
print(b.rsplit(), b.rsplit(None, 1), b.split(None, 2), b"a,b,,c".rsplit(b",", 2))
print(b.splitlines(), b.splitlines(True), b"".splitlines())
print(b"ab".ljust(5, b"-"), b"ab".rjust(5), b"abc".center(6, b"*"), b"ab".center(7), b"-42".zfill(6), b"7".zfill(3))
print(b"hello".rfind(b"l"), b"hello".index(b"l"), b"hello".rindex(b"l"), b"hello".find(108), b"hello".find(b"l", 3), b"hello".find(b"l", -2, -1))
print(b"hello".count(b""), b"hello".count(b"l", 0, 3), b"hello".endswith((b"lo", b"x")), b"hello".startswith(b"el", 1))
print(b"hello".rpartition(b"l"), b"hello".partition(b"x"), b"hello".removeprefix(b"he"), b"hello".removesuffix(b"lo"))
print(b"Hello World".title(), b"hello".capitalize(), b"abc".islower(), b"ABC".isupper(), b"\x80".isascii())
print(b"xyz".lstrip(b"x"), b"xyzx".rstrip(b"x"), b"  a ".lstrip(), bytes(b"ab".hex(":"), "ascii"), b"abcdef".hex("-", 2), b"abcdef".hex(":", -4))
print(bytearray(b"abc").upper(), bytearray(b"a b").split(), bytearray(b"x").join([b"a", bytearray(b"b")]))
print(b"abc"[1:], b"abcdef"[::2], b"abc"[-1], b"abcdef"[::-2])
print(b"ab" * 3, 2 * b"xy", b"ab" * -1, bytearray(b"q") * 2, b"a" + bytearray(b"b"), bytearray(b"a") + b"b")
ba = bytearray(b"0123456789")
ba[2:5] = [65, 66]
print(ba)
del ba[1:8:2]
print(ba, len(ba))
ba[:] = b""
print(ba, bool(ba), bool(b"x"))
ba.extend([1, 2, 3]); ba.insert(-1, 9); ba.insert(100, 7)
print(ba, ba.pop(0), ba)
ba2 = bytearray(b"abc"); ba2 *= 2; ba2 += bytearray(b"!")
print(ba2)
print(hash(b"abc"), hash(b"\x00\xff"), {b"k": 1}[b"k"], b"a" == bytearray(b"a"), b"a" != "a", b"ab" > b"a", bytearray(b"b") >= b"b")
print(bytes(range(3)), bytes([]), bytes(bytearray(b"xy")), bytes("h\xe9", "latin-1"), bytes("h\u20ac", "utf-8"), list(bytearray(b"ab")))
print(b"%5d|%-5s|%x|%%|%c" % (42, b"ab", 255, 66), b"%r" % b"q", b"%a" % "\xe9", b"%.2f" % 1.2345)
print("h\xe9llo".encode("latin-1"), "abc".encode("ascii"), "\u20ac".encode(), "x\xe9y".encode("ascii", "replace"), "x\xe9y".encode("ascii", "ignore"))
print(b"\xe9t\xe9".decode("latin-1"), b"a\xffb".decode("utf-8", "replace"), b"a\xffb".decode("ascii", "ignore"), b"\xc3\xa9".decode("utf8"))
for bad in [lambda: b"\xc3".decode(), lambda: b"\xe2\x82(".decode(), lambda: b"\xc3(".decode(), lambda: "\xe9".encode("ascii"), lambda: "\u20ac\u20ac".encode("latin-1"),
            lambda: b"\x80".decode("ascii"), lambda: "x".encode("nope"), lambda: bytes("x"), lambda: bytes(-1), lambda: bytes([256]), lambda: bytearray([256]),
            lambda: bytes(1.5), lambda: b"abc"[5], lambda: bytearray(b"a")[3], lambda: b"a"[str()], lambda: b"abc".index(b"z"), lambda: b"a".split(b""),
            lambda: "x" in b"abc", lambda: 300 in b"abc", lambda: b"a" * 1.5, lambda: bytearray(b"a").pop(5), lambda: {bytearray(): 1},
            lambda: b"%d" % "x", lambda: b"%s %s" % (b"a",), lambda: bytes.fromhex("zz"), lambda: b"a".hex("ab"), lambda: "a" + b"b",
            lambda: int.from_bytes(b"\x01", "middle"), lambda: (256).to_bytes(1, "big"), lambda: (-1).to_bytes(1, "big"), lambda: b"abc".center(5, b"ab")]:
    try:
        print(bad())
    except Exception as e:
        print(type(e).__name__, e)
print(bytes.fromhex("de ad be ef"), bytearray.fromhex("0102"), b"".fromhex("41"), (255).to_bytes(2, "little"), (-129).to_bytes(2, "big", signed=True), int.from_bytes(b"\xff\xff", "big", signed=True))
print(104 in b"hi", b"" in b"x", bytearray(b"hi") in b"xhiy", [x for x in bytearray(b"AB")], reversed(b"ab") is not None, sorted(b"cab"))
print(str(b"x"), str(bytearray(b"x")), repr(bytearray()), f"{b'ab'}", "%s" % b"xy", min(b"abc"), max(bytearray(b"abc")), sum(b"ab"))
print(int(b"42"), int(bytearray(b" -7 ")), float(b"1.5") if False else 0, b"abc".decode(errors="strict"), "é".encode(encoding="utf-8"))
z = complex(1.5, -2)
print(z, -z, +z, abs(-3 - 4j), z.conjugate(), z.real, z.imag, (1 + 2j) - 1, 2 - (1 + 2j), 1.5 * z, z / 2, 2 / z)
print(1j ** 2, 2 ** 1j, (1 + 1j) ** (1 - 1j), (1 + 2j) ** 3, (1 + 2j) ** -2, 0j ** 0, (2 + 0j) ** 0.5)
print((-8) ** (1 / 3), (-2.0) ** 0.5, (-2) ** 1.5, pow(-4, 0.5))
print(complex(), complex(1), complex(1.5, 2.5), complex(1j, 1j), complex(" ( 1-2j ) "), complex("j"), complex("-j"), complex("1e3+2e-1j"), complex("inf-nanj"))
print(complex(real=3), complex(imag=2), complex(True, False), 1 + 2j == complex(1, 2), 1 + 0j == 1, 1.5 + 0j == 1.5, 1j == 1, 2j != 2j)
print({1 + 0j: "a"}[1], {1: "b"}[1 + 0j], hash(1.5 + 0j) == hash(1.5), hash(3 - 4j), hash(complex(0, 1)))
print(format(1.5 - 2j, ".3f"), format(1 + 1j, ">20"), format(1j, "e"), format(-1.25 + 0j, "+.1f"), f"{3 + 4j:^16}", "{:g}".format(1e20 + 1e-5j))
print(repr(1e300j * 1e10), complex(float("nan"), 1), -0j, 0j * -1, (1 + 0j).imag, type(1j).__name__, isinstance(1j, complex), sum([1j, 2]))
for bad in [lambda: 1j % 2, lambda: 1j // 2, lambda: 1j < 2j, lambda: int(1j), lambda: float(1j), lambda: 0j ** -1, lambda: 1j / 0, lambda: complex("x"),
            lambda: complex("1", 2), lambda: complex(1, "2"), lambda: complex([]), lambda: 1j & 1, lambda: {1j: 1}[2j], lambda: 1e308j * 1e308j, lambda: abs(1e308 + 1e308j),
            lambda: (1j).conjugate(1), lambda: round(1j), lambda: divmod(1j, 1), lambda: complex(1, 2, 3)]:
    try:
        print(bad())
    except Exception as e:
        print(type(e).__name__, e)
