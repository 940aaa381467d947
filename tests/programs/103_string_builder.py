# Building strings: concatenation in loops, join, repetition, formatting tables
out = ""
for i in range(10):
    out += str(i)
print(out, len(out))
parts = []
for i in range(1, 6):
    parts.append("*" * i)
print("\n".join(parts))
for i in range(1, 6):
    print(" " * (5 - i) + "*" * (2 * i - 1))
print("+" + "-" * 10 + "+")
for row in range(1, 10):
    print(" ".join("%2d" % (row * col) for col in range(1, 10)))
def box(text):
    w = len(text) + 2
    return "\n".join(["+" + "-" * w + "+", "| " + text + " |", "+" + "-" * w + "+"])
print(box("pyreg"))
print(box("register VM"))
csv_rows = [["id", "name", "score"], [1, "ann", 9.5], [2, "bob", 7.25]]
print("\n".join(",".join(str(c) for c in r) for r in csv_rows))
def to_roman(n):
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    s = ""
    for v, sym in vals:
        while n >= v:
            s += sym
            n -= v
    return s
print([to_roman(n) for n in [1, 4, 9, 14, 40, 90, 400, 1994, 2024, 3999]])
def rle(s):
    out = []
    i = 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        out.append("%d%s" % (j - i, s[i]))
        i = j
    return "".join(out)
print(rle("aaabccddddde"), rle(""), rle("x"))
words = ["alpha", "beta", "gamma"]
print(", ".join(words[:-1]) + " and " + words[-1])
s = "x"
for _ in range(5):
    s = "(" + s + ")"
print(s, s.count("("))
