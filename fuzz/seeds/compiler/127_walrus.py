# Assignment expressions (walrus operator :=)
data = [3, 8, 1, 9, 4, 12, 7]
if (n := len(data)) > 5:
    print("long list", n)
print([y for x in data if (y := x * 2) > 10])
print([(x, r) for x in range(10) if (r := x % 3) == 0])
values = iter([5, 3, 0, 8])
total = 0
while (v := next(values)) != 0:
    total += v
    print("added", v)
print("total", total)
def process(items):
    out = []
    for it in items:
        if (s := it.strip()) and (u := s.upper()) != "SKIP":
            out.append(u)
    return out
print(process(["  a ", "", " skip", "b", "   "]))
print((z := 10), z * 2)
acc = [last := 0]
for i in range(1, 6):
    acc.append(last := last + i)
print(acc, last)
def first_match(words):
    if any((hit := w).startswith("q") for w in words):
        return hit
    return None
print(first_match(["apple", "quince", "queen"]), first_match(["x"]))
stats = {"min": (lo := min(data)), "max": (hi := max(data)), "range": hi - lo}
print(stats)
import math
print([(x, s) for x in range(20) if (s := math.isqrt(x)) ** 2 == x])
count = 0
while (count := count + 1) < 5:
    pass
print("count", count)
f = lambda x: (y := x + 1) * y
print(f(3))
chunks = []
buf = list(range(10))
while chunk := buf[:3]:
    chunks.append(chunk)
    buf = buf[3:]
print(chunks)
