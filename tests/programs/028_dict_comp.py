# Dict comprehensions
print({x: x * x for x in range(6)})
print({k: v for k, v in [("a", 1), ("b", 2), ("a", 3)]})
print({v: k for k, v in {"x": 1, "y": 2, "z": 3}.items()})
print({c: "mississippi".count(c) for c in "mississippi"})
print({i: [j for j in range(i)] for i in range(4)})
print({(i, j): i * j for i in range(3) for j in range(3) if i != j})
words = ["apple", "banana", "cherry", "avocado", "blueberry"]
by_letter = {w[0]: [x for x in words if x[0] == w[0]] for w in words}
print(by_letter)
print({w: len(w) for w in words if len(w) > 5})
print({str(n): n % 3 == 0 for n in range(7)})
inv = {n: chr(ord("a") + n) for n in range(5)}
print(inv, {v: k for k, v in inv.items()})
print({k: v for k, v in zip("abc", range(3))})
print({x: {y: x * y for y in range(3)} for x in range(3)})
squares = {n: n * n for n in range(-3, 4)}
print({k: v for k, v in squares.items() if k >= 0})
print(sorted({abs(k): v for k, v in squares.items()}.items()))
print({} == {k: 1 for k in []})
keys = ["x", "y", "x", "z", "y"]
print({k: i for i, k in enumerate(keys)})
print(dict.fromkeys(keys), dict.fromkeys("ab", 0))
counts = {}
for w in "the cat and the hat and the bat".split():
    counts[w] = counts.get(w, 0) + 1
print({w: c for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))})
print({i % 3: i for i in range(10)})
