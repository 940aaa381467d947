# is* predicates, swapcase, title, capitalize, casefold, translate, maketrans
tests = ["abc", "ABC", "Abc", "123", "abc123", "  ", "", "Hello World", "a_b", "\t\n", "١٢"]
for t in tests:
    print(repr(t) if t.isascii() else "nonascii", t.isalpha(), t.isdigit(), t.isalnum(), t.isspace(),
          t.islower(), t.isupper(), t.istitle(), t.isidentifier(), t.isnumeric(), t.isdecimal())
words = ["hello", "WORLD", "mIxEd CaSe", "they're bill's friends", "123abc"]
for w in words:
    print(w.upper(), w.lower(), w.swapcase(), w.title(), w.capitalize(), w.casefold())
table = str.maketrans("abc", "xyz")
print("aabbcc-abc".translate(table))
table2 = str.maketrans({"a": "1", "b": None, "c": "33"})
print("abcabc".translate(table2))
table3 = str.maketrans("", "", "aeiou")
print("programming language".translate(table3))
print("Hello".encode("ascii"), "h\xe9".encode("utf-8"), b"h\xc3\xa9".decode("utf-8") == "h\xe9")
print("abc".isprintable(), "a\nb".isprintable(), "a" < "b", "Ab".lower() == "aB".lower())
print("x".join(["1", "2"]).upper(), "TeSt".lower().capitalize())
print("ß".upper() == "SS", "ß".casefold() == "ss", len("ß".upper()))
def rot13(s):
    out = []
    for ch in s:
        if "a" <= ch <= "z":
            out.append(chr((ord(ch) - 97 + 13) % 26 + 97))
        elif "A" <= ch <= "Z":
            out.append(chr((ord(ch) - 65 + 13) % 26 + 65))
        else:
            out.append(ch)
    return "".join(out)
print(rot13("Hello, World!"), rot13(rot13("Round Trip")))
print("snake_case_name".replace("_", " ").title().replace(" ", ""))
name = "CamelCaseString"
snake = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
print(snake)
print("{} {}".format("a".isupper(), "A1".isupper()), "1a".islower())
