# str.split / rsplit / splitlines / join / partition / rpartition
s = "  the quick  brown\tfox \n jumps  "
print(s.split())
print(s.split(" "))
print("a,b,,c,".split(","), "a,b,,c,".split(",", 2), "a,b,c".rsplit(",", 1))
print("one two three four".split(None, 2), "one two three four".rsplit(None, 2))
print("".split(), "".split(","), "   ".split(), "x".split("x"))
print("a::b::c".split("::"), "line1\nline2\r\nline3\rline4".splitlines())
print("keep\nends\n".splitlines(True), "no newline".splitlines())
print(",".join(["a", "b", "c"]), "".join([]), " - ".join("xyz"), "\n".join(["l1", "l2"]))
print("+".join(str(i) for i in range(5)))
try:
    ",".join([1, 2])
except TypeError as e:
    print("TypeError:", e)
try:
    "a".split("")
except ValueError as e:
    print("ValueError:", e)
print("key=value=more".partition("="), "key=value=more".rpartition("="))
print("nokey".partition("="), "nokey".rpartition("="))
csv = "name,age,city\nAnn,30,Oslo\nBob,25,Rome"
rows = [line.split(",") for line in csv.splitlines()]
header, data = rows[0], rows[1:]
for r in data:
    print(dict(zip(header, r)))
words = "It was the best of times it was the worst of times".lower().split()
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
print(sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])))
path = "/usr/local/lib/python3.9/site.py"
print(path.split("/"), path.rsplit("/", 1)[-1], path.rpartition(".")[2])
print(" ".join(reversed("hello big world".split())))
print("a b".split(" ", 0), "a b c".split(" ", -1), "1 2 3".split(maxsplit=1))
print("x\ty z\x0bw\x0cv".split())
