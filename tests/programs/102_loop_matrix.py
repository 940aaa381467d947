# Loop-heavy: matrix multiplication, determinant via Gaussian elimination, power iteration
N = 40
A = [[((i * 7 + j * 3) % 11) - 5 for j in range(N)] for i in range(N)]
B = [[((i * 2 + j * 5) % 13) - 6 for j in range(N)] for i in range(N)]
def matmul(X, Y):
    n, m, p = len(X), len(Y), len(Y[0])
    out = [[0] * p for _ in range(n)]
    for i in range(n):
        Xi = X[i]
        Oi = out[i]
        for k in range(m):
            a = Xi[k]
            if a:
                Yk = Y[k]
                for j in range(p):
                    Oi[j] += a * Yk[j]
    return out
C = matmul(A, B)
print("trace", sum(C[i][i] for i in range(N)))
print("sum", sum(map(sum, C)), "max", max(map(max, C)), "min", min(map(min, C)))
print("row0", C[0][:10])
def det(M):
    M = [[float(v) for v in row] for row in M]
    n = len(M)
    d = 1.0
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(M[r][c]))
        if abs(M[piv][c]) < 1e-12:
            return 0.0
        if piv != c:
            M[c], M[piv] = M[piv], M[c]
            d = -d
        d *= M[c][c]
        for r in range(c + 1, n):
            f = M[r][c] / M[c][c]
            for k in range(c, n):
                M[r][k] -= f * M[c][k]
    return d
small = [[2, -1, 0, 3], [1, 3, 2, -2], [0, 1, 4, 1], [5, 0, -1, 2]]
print("det small", round(det(small), 6))
H = [[1.0 / (i + j + 1) for j in range(6)] for i in range(6)]
print("det hilbert6 %.6e" % det(H))
v = [1.0] * 8
S = [[1.0 / (1 + abs(i - j)) for j in range(8)] for i in range(8)]
lam = 0.0
for it in range(200):
    w = [sum(S[i][j] * v[j] for j in range(8)) for i in range(8)]
    lam = max(abs(x) for x in w)
    v = [x / lam for x in w]
print("dominant eigenvalue %.10f" % lam)
print("vector", ["%.6f" % x for x in v])
I = [[1 if i == j else 0 for j in range(N)] for i in range(N)]
print("A*I == A", matmul(A, I) == A)
