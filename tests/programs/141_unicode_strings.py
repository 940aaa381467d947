# Unicode strings: lengths, slicing, case mapping, encoding, code points
s = "h\u00e9llo w\u00f6rld \u65e5\u672c\u8a9e \U0001F600"
print(len(s), s.upper(), s.title())
print(s[1], s[-1] == "\U0001F600", s[12:15], s[::-1][:3] == s[-1:-4:-1])
print([hex(ord(c)) for c in s[-5:]])
enc = s.encode("utf-8")
print(len(enc), enc[:8], enc.decode("utf-8") == s)
print("\u00e9".encode("utf-8"), "\u00e9".encode("latin-1"), "\u65e5".encode("utf-8"))
print("caf\u00e9".encode("ascii", "replace"), "caf\u00e9".encode("ascii", "ignore"))
try:
    "caf\u00e9".encode("ascii")
except UnicodeEncodeError as e:
    print("UnicodeEncodeError:", e)
try:
    b"\xe9".decode("utf-8")
except UnicodeDecodeError as e:
    print("UnicodeDecodeError:", e)
print(b"\xe9t\xe9".decode("latin-1"), b"\xff".decode("utf-8", "replace"))
print("\u00c9COLE".lower(), "\u00df".upper(), "\u0130".lower().encode("utf-8"), "\u03a3\u03b1\u03c3".lower())
print("na\u00efve caf\u00e9".split(), "\u00e9" in "caf\u00e9", "caf\u00e9".find("\u00e9"))
print(sorted(["\u00e9", "e", "z", "\u00e0", "a"]))
print("\u65e5\u672c".isalpha(), "\u0663".isdigit(), "\u00bd".isnumeric(), "\u00bd".isdigit())
print(ascii(s), repr("\u00e9"))
print("-".join(reversed("\u00e9a\u00fc")), "\u00e9" * 3, "\u00e9".center(5, "*"))
width = {c: len(c.encode("utf-8")) for c in "a\u00e9\u65e5\U0001F600"}
print(sorted(width.values()))
print(str(len("\U0001F600".encode("utf-16-le"))), "\U0001F600".encode("utf-32-be").hex())
print(chr(0x263A), ord("\u263a"), "\N{GREEK SMALL LETTER ALPHA}", "\N{BULLET}")
e_acute = "\u00e9"
print(f"{e_acute!a}", f"{e_acute!r}", "{:^7}|".format("\u00e9\u00e8"))
