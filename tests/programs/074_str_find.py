# find/rfind/index/rindex/count/startswith/endswith with ranges
s = "abracadabra"
print(s.find("a"), s.find("a", 1), s.find("a", 4, 6), s.find("z"), s.find(""))
print(s.rfind("a"), s.rfind("a", 0, 10), s.rfind("bra"), s.rfind("z"), s.rfind(""))
print(s.index("c"), s.rindex("b"), s.index("ra", 3))
try:
    s.index("q")
except ValueError as e:
    print("ValueError:", e)
try:
    s.rindex("q")
except ValueError as e:
    print("ValueError:", e)
print(s.count("a"), s.count("abra"), s.count("a", 5), s.count(""), "aaaa".count("aa"))
print(s.startswith("abra"), s.startswith("bra"), s.startswith("bra", 1), s.startswith(("x", "ab")))
print(s.endswith("bra"), s.endswith("cad", 0, 7), s.endswith(("q", "ra")), s.endswith(""))
def all_positions(hay, needle):
    out = []
    i = hay.find(needle)
    while i != -1:
        out.append(i)
        i = hay.find(needle, i + 1)
    return out
print(all_positions(s, "a"), all_positions(s, "abra"), all_positions("aaaa", "aa"))
files = ["main.py", "test_main.py", "README.md", "setup.cfg", "util.py"]
print([f for f in files if f.endswith(".py")], [f for f in files if f.startswith("test_")])
print([f for f in files if f.endswith((".md", ".cfg"))])
print(s.find("a", -3), s.find("a", -100), s[s.find("c"):], s.find("bra", 2, 4))
print("hello world".find("o w"), "x" in "xyz", "xyz".__contains__("yz"))
text = "one fish two fish red fish blue fish"
idx = text.find("fish")
cnt = 0
while idx >= 0:
    cnt += 1
    idx = text.find("fish", idx + 4)
print("fish count", cnt, text.count("fish"))
print(text.rfind("fish", 0, 20), text.index("red"), text[text.rindex(" ") + 1:])
