# Nested comprehensions of mixed kinds, closures in comprehensions
matrix = [[r * 4 + c for c in range(4)] for r in range(3)]
print(matrix)
print([[row[c] for row in matrix] for c in range(4)])
print([sum(row) for row in matrix], sum(sum(row) for row in matrix))
print({r: {c: matrix[r][c] for c in range(4) if c % 2} for r in range(3)})
print([sorted({v % 3 for v in row}) for row in matrix])
flat = [v for row in matrix for v in row]
print(flat)
print([[[i, j, k] for k in range(2)] for j in range(2) for i in range(2)])
print([(i, [j for j in range(i) if j % 2]) for i in range(6)])
print({k: [x for x in v if x > 4] for k, v in {"a": [1, 5, 9], "b": [2, 6]}.items()})
print([[x * y for x in range(1, 4)] for y in range(1, 4)])
print([list(g) for g in ((i * j for j in range(3)) for i in range(3))])
fns = [[lambda: (i, j) for j in range(2)] for i in range(2)]
print([[f() for f in row] for row in fns])
n = 5
tri = [[1 if c in (0, r) else 0 for c in range(r + 1)] for r in range(n)]
for r in range(2, n):
    for c in range(1, r):
        tri[r][c] = tri[r - 1][c - 1] + tri[r - 1][c]
print(tri)
words = ["one", "two", "three"]
print({w: {ch: w.count(ch) for ch in w} for w in words})
print([c for w in words for c in w if c not in "aeiou"])
print(sorted({(a, b) for a in range(4) for b in [a * a for a in range(a)]}))
def outer(k):
    return [[k * i + j for j in range(k)] for i in range(k)]
print(outer(3))
print([[y for y in range(x)] for x in range(5) if x % 2 == 0])
grid = {(x, y): x + y for x in range(3) for y in range(3)}
print([grid[(x, y)] for x in range(3) for y in range(3) if (x + y) % 2 == 0])
