# Loop-heavy: nested loops summing, integer arithmetic in tight loops
total = 0
for i in range(300):
    for j in range(300):
        total += (i * j) % 7
print("nested mod sum", total)
acc = 0
i = 0
while i < 50000:
    acc += i * i - 3 * i
    acc %= 1000000007
    i += 1
print("while acc", acc)
count = 0
for a in range(1, 60):
    for b in range(a, 60):
        c2 = a * a + b * b
        c = int(c2 ** 0.5)
        if c * c == c2 and c < 60:
            count += 1
print("pythagorean triples", count)
h = 0
for k in range(40000):
    h = (h * 31 + k) & 0xFFFFFFFF
print("hash", h)
grid = [[(r * 17 + c * 31) % 10 for c in range(100)] for r in range(100)]
row_sums = [sum(row) for row in grid]
col_sums = [sum(grid[r][c] for r in range(100)) for c in range(100)]
print("grid", sum(row_sums), max(row_sums), min(col_sums))
best = 0
for r in range(99):
    for c in range(99):
        s = grid[r][c] + grid[r + 1][c] + grid[r][c + 1] + grid[r + 1][c + 1]
        if s > best:
            best = s
print("best 2x2", best)
def collatz_len(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps
longest = max(range(1, 3000), key=collatz_len)
print("longest collatz under 3000", longest, collatz_len(longest))
