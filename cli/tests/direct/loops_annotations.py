# while loops (tested at the bottom), chained comparisons in conditions,
# annotations in modules, classes and functions.
calls = []
def probe(v):
    calls.append(v)
    return v
i = 0
while probe(i) < 5:
    i += 1
    if i == 2:
        continue
    if i == 4:
        break
else:
    print("no break")
print(i, calls)
n = 0
while n < 3:
    n += 1
else:
    print("else ran", n)
def between(a, b, c):
    out = []
    if a < probe(b) < c:
        out.append("in")
    if not (a < b < c):
        out.append("not in")
    while a < b <= c:
        a += 1
    return out, a
print(between(1, 2, 3), between(3, 2, 1), calls[-2:])
x: int = 5
y: "list[int]"
class C:
    a: int = 1
    b: str
    def m(self, p: int, *q: str, r: float = 1.0, **s: bool) -> None:
        z: int = p
        return z
print(__annotations__, C.__annotations__, C.m.__annotations__, C().m(7))
def f():
    total = 0
    k = 10
    while k:
        k -= 1
        if k % 2:
            continue
        total += k
    return total
print(f())
