# FORMAT_VALUE with conversions !s !r !a and nested f-strings
name = "world"
num = 42
pi = 3.14159
lst = [1, "two", 3.0]
print(f"hello {name}")
print(f"{name!r} {name!s} {name!a}")
cafe = "caf\u00e9"
print(f"{cafe!a} {cafe!r} {cafe}")
print(f"{num} {num!r} {pi} {pi!s}")
print(f"{lst} {lst!r} {lst!s}")
print(f"{num + 1} {num * 2} {num // 5}")
print(f"{'nested'} {f'{num}'} {f'{name!r:>8}'}")
print(f"{{literal braces}} {{{num}}}")
print(f"{name.upper()} {name[::-1]} {len(name)}")
print(f"{[x * 2 for x in range(3)]}")
print(f"{'yes' if num > 10 else 'no'}")
d = {"k": "v"}
print(f"{d['k']} {d}")
class R:
    def __repr__(self):
        return "R-repr"
    def __str__(self):
        return "R-str"
r = R()
print(f"{r} {r!r} {r!s} {r!a}")
print(f"{None} {True} {False!r}")
print(f"multi {name} "
      f"part {num}")
width = 10
print(f"[{name:>{width}}] [{name:<{width}}] [{name:^{width}}]")
print(f"{num:{'x'}} {num:{'b'}}")
s = "tab\t"
print(f"{s!r}")
for i in range(3):
    print(f"row {i}: {i * i:3d} {'*' * i}")
print(f"{3.0} {1e20} {1/3}")
print(f"{name=}")
print(f"{num=} {pi=:.2f} {lst=!s}")
