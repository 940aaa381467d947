# String literals and escapes: raw, triple-quoted, escapes in repr, implicit concat
print("tab:\t|", "newline:\\n", "quote:\"", 'single:\'', "backslash:\\")
print(r"raw \n stays", r"C:\path\to\file", len(r"\n"), len("\n"))
print("""triple
quoted "string" with 'quotes'""")
print('''another
  indented''')
print("\x41\x42\x43", "\u0041", "\101", "\N{LATIN SMALL LETTER A}" if False else "a")
print(repr("\x00\x01\x1f\x7f"), repr("\r\n"), repr("\\"), repr("'"), repr('"'), repr("'\""))
print(repr("\u00ff"), repr("\u0100"), repr("\uffff"), repr("\U00010000"))
print(ascii("\u00ff\u0100"), len("\U00010000"))
s = ("implicit "
     "concatenation "
     'of "parts"')
print(s)
print("a" "b" == "ab", "x\
y")
print(repr("""line1
line2"""))
for s in ["", " ", "a'b", 'a"b', "a'b\"c", "\t", "é", "日本", "\u200b"]:
    print(len(s), s.isascii(), ascii(s))
print(b"bytes\x00\xff", repr(b"'"), repr(b'"'), repr(b"'\""), b"\n\t")
print(rb"raw\bytes", br"\x00")
print("%r" % "it's", "%r" % 'say "hi"')
print(str(b"abc", "ascii"), "abc".encode(), bytes([65, 66]), bytearray(b"xy"))
print("{!r}".format("a\tb"), f"{chr(9)!r}")
print("\\n is two chars:", len("\\n"), "and \\t too")
