# Set comprehensions (print sorted results)
s = {x % 5 for x in range(20)}
print(sorted(s), len(s))
print(sorted({x * x for x in range(-4, 5)}))
print(sorted({c for c in "mississippi"}))
print(sorted({(a, b) for a in range(3) for b in range(3) if a <= b}))
words = ["Apple", "apple", "APPLE", "Banana", "banana"]
print(sorted({w.lower() for w in words}))
print(sorted({len(w) for w in words}))
evens = {n for n in range(20) if n % 2 == 0}
threes = {n for n in range(20) if n % 3 == 0}
print(sorted(evens & threes), sorted(evens | threes))
print(sorted(evens - threes), sorted(evens ^ threes))
print({1, 2, 3} == {n for n in (3, 2, 1, 1)})
print(sorted({frozenset({i, i + 1}) for i in range(3)}, key=sorted))
nested = {i * j for i in range(1, 5) for j in range(1, 5)}
print(sorted(nested))
empty = {x for x in []}
print(empty, type(empty).__name__)
print(sorted({abs(x) for x in [-3, -2, -1, 0, 1, 2, 3]}))
print(sorted({x // 10 for x in range(0, 100, 7)}))
print(sorted({(x, x % 3) for x in range(6)}, key=lambda t: (t[1], t[0])))
print(sum({x for x in range(10)}), max({3, 9, 1}), min({3, 9, 1}))
def uniq(seq):
    return sorted({v for v in seq})
print(uniq([5, 3, 5, 1, 3, 9]))
print(uniq("hello world"))
print(len({i % 7 for i in range(1000)}))
print(sorted({True, 1, 1.0, 2}), len({True, 1, 1.0}))
