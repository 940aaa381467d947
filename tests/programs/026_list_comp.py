# List comprehensions: conditions, nested loops, expressions, scope
print([x for x in range(10)])
print([x * x for x in range(10) if x % 2 == 0])
print([(x, y) for x in range(3) for y in range(x)])
print([x + y for x in "ab" for y in "cd"])
print([x for x in range(30) if x % 2 if x % 3])
print([[c for c in w] for w in ["hi", "yo"]])
print([i if i % 2 else -i for i in range(8)])
words = ["alpha", "beta", "gamma", "delta"]
print([w.upper() for w in words if "a" in w[1:]])
print([len(w) for w in words])
print([(i, w) for i, w in enumerate(words) if i != 1])
matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print([row[i] for row in matrix for i in range(len(row)) if i == 1])
print([[row[i] for row in matrix] for i in range(3)])
print([v for row in matrix for v in row if v % 2])
x = "outer"
res = [x for x in range(3)]
print(res, x)
print([y for y in []])
print([a * b for a, b in zip(range(5), range(5, 10))])
print([s for s in (str(n) for n in range(12)) if len(s) > 1])
def f(n):
    return [i for i in range(n) if i * i < n]
print(f(50))
k = 3
print([k * i for i in range(5)])
print([(lambda z: z + i)(0) for i in range(3)])
print([[0] * j for j in range(4)])
print(sum([i for i in range(101)]))
pyth = [(a, b, c) for c in range(1, 30) for b in range(1, c) for a in range(1, b) if a * a + b * b == c * c]
print(pyth)
