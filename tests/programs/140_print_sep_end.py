# print() with sep, end, multiple args, no args, flush, file=None
print()
print("a", "b", "c")
print("a", "b", "c", sep="")
print("a", "b", "c", sep=", ")
print("no newline", end="")
print(" <- continued")
print("x", end="|")
print("y", end="|")
print("z")
print(1, 2.5, None, True, [1], (2,), {3: 4}, sep=" ; ")
print(*range(5), sep="-", end=".\n")
print("multi\nline", "arg")
print("", "", sep="X")
print(sep="ignored")
print("tab", "sep", sep="\t")
print("flushed", flush=True)
print("file none", file=None)
print("end with empty", end="")
print()
for i in range(3):
    print(i, end=" " if i < 2 else "\n")
print("a", "b", sep=None, end=None)
items = ["apple", "banana"]
print("Items:", *items, sep="\n  ")
try:
    print("x", sep=5)
except TypeError as e:
    print("TypeError:", e)
class S:
    def __str__(self):
        return "custom str"
print(S(), S(), sep="+")
print("%-5s|" % "ab", "{:>5}|".format("cd"))
print(str(print)[:20] == "<built-in function p")
