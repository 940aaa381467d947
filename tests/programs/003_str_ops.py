# String concatenation, repetition, comparison, indexing
s = "hello"
t = "world"
print(s + " " + t)
print(s * 3, 3 * t, s * 0, repr(s * -1))
print(s[0], s[-1], s[1:4], s[::-1], s[::2])
print(len(s), len(s + t), len(""))
print("ell" in s, "xyz" in s, "" in s, "h" not in t)
print(s < t, s > t, s == "hello", s != t, "a" < "b" < "c")
print("abc" < "abd", "abc" < "ab", "Z" < "a")
u = ""
for ch in "python":
    u = ch + u
print(u)
parts = []
for i in range(5):
    parts.append(str(i) * i)
print(parts)
print("-".join(parts))
print("%s=%d" % ("x", 42))
print("a" "b" "c")
x = "spam"
x += "eggs"
x *= 2
print(x)
print(str(123) + str(4.5) + str(True) + str(None))
print(repr("quote'here"), repr('dq"here'), repr("both'\""))
print(repr("tab\there"), repr("nl\nhere"), repr("back\\slash"))
print("multi\nline")
print(ord("A"), chr(97), "A" * 5)
print(s.upper() + t.title())
print(max(s), min(t), sorted(s))
print(list("abc"), tuple("xy"))
print("x".join("abc"))
print("%r and %s" % ("r", "s"))
print(s.count("l"), s.index("l"), s.find("z"))
