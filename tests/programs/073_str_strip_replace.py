# strip/lstrip/rstrip, replace, expandtabs, center/ljust/rjust/zfill
s = "  ..hello world..  "
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
print(repr(s.strip(" .")), repr(s.lstrip(" .")), repr(s.rstrip(". ")))
print(repr("xxabcxx".strip("x")), repr("abcba".strip("ab")), repr("\t\n x \r\n".strip()))
print("aaa".replace("a", "b"), "aaa".replace("a", "b", 2), "aaa".replace("aa", "c"))
print("hello".replace("", "-"), "hello".replace("l", ""), "abc".replace("x", "y"))
print("banana".replace("an", "AN"), "mississippi".replace("ss", "SS", 1))
print(repr("ab".center(7)), repr("ab".center(7, "*")), repr("abc".center(6, "-")))
print(repr("ab".ljust(5)), repr("ab".rjust(5, "0")), repr("toolong".ljust(3)))
print("42".zfill(5), "-42".zfill(5), "+7".zfill(4), "abc".zfill(6), "1234".zfill(2))
print(repr("a\tb\tc".expandtabs()), repr("a\tbb\tccc".expandtabs(4)))
text = "The rain in Spain stays mainly in the plain"
print(text.replace("ain", "AIN"), text.count("ain"), text.replace(" ", ""))
cleaned = [w.strip(".,!?") for w in "Hello, world! How are you? Fine.".split()]
print(cleaned)
print(" x ".strip() == "x", "".strip() == "", "  ".rstrip() == "")
print("www.example.com".removeprefix("www."), "file.txt".removesuffix(".txt"))
print("abc".removeprefix("x"), "abc".removesuffix("bc"))
lines = ["  item one  ", "\titem two\n", "item three   "]
print([l.strip() for l in lines], [l.rstrip() for l in lines])
s2 = "x"
for i in range(4):
    s2 = s2.center(len(s2) + 2, str(i))
print(s2)
print("tic-tac-toe".replace("-", " ").title().replace(" ", ""))
print("%r" % "a,b;c".replace(",", " ").replace(";", " ").split())
