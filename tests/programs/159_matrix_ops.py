# List-of-lists matrix operations: transpose, rotate, spiral, identity, determinant
def show(m):
    for row in m:
        print(" ".join("%3d" % v for v in row))
    print("--")
M = [[r * 4 + c + 1 for c in range(4)] for r in range(4)]
show(M)
T = [list(r) for r in zip(*M)]
show(T)
rot = [list(r) for r in zip(*M[::-1])]
show(rot)
rot_ccw = [list(r) for r in zip(*M)][::-1]
show(rot_ccw)
def spiral(m):
    out = []
    m = [row[:] for row in m]
    while m:
        out += m.pop(0)
        m = [list(r) for r in zip(*m)][::-1]
    return out
print(spiral(M))
print(spiral([[1, 2, 3], [4, 5, 6]]))
I = [[int(i == j) for j in range(4)] for i in range(4)]
show(I)
def mul(a, b):
    return [[sum(x * y for x, y in zip(row, col)) for col in zip(*b)] for row in a]
show(mul(M, I))
show(mul(M, T))
def det(m):
    if len(m) == 1:
        return m[0][0]
    return sum((-1) ** c * m[0][c] * det([row[:c] + row[c + 1:] for row in m[1:]]) for c in range(len(m)))
print(det([[1, 2], [3, 4]]), det([[2, 0, 1], [1, 3, 2], [1, 1, 1]]), det(M), det(I))
diag = [M[i][i] for i in range(4)]
anti = [M[i][3 - i] for i in range(4)]
print(diag, anti, sum(diag), sum(anti))
flat = [v for row in M for v in row]
back = [flat[i:i + 4] for i in range(0, 16, 4)]
print(back == M, [sum(col) for col in zip(*M)], [max(r) for r in M])
sparse = {(r, c): v for r, row in enumerate(M) for c, v in enumerate(row) if v % 5 == 0}
print(sorted(sparse.items()))
