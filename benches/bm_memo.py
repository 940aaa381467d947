# Recursion with memoization dicts: edit distance, partition counts,
# grid paths and longest common subsequence with explicit dict caches.
# N: repetitions of the workload; SIZE: string length / problem size.
N = 10
SIZE = 200


def edit_distance(a, b):
    memo = {}

    def d(i, j):
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == 0:
            r = j
        elif j == 0:
            r = i
        elif a[i - 1] == b[j - 1]:
            r = d(i - 1, j - 1)
        else:
            r = 1 + min(d(i - 1, j), d(i, j - 1), d(i - 1, j - 1))
        memo[key] = r
        return r

    total = 0
    # fill bottom-up by rows to keep the recursion shallow
    for i in range(len(a) + 1):
        total += d(i, len(b) * i // max(1, len(a)))
    return d(len(a), len(b)), total, len(memo)


def partitions(n, cache):
    # number of partitions of n into parts of size <= k
    def p(n, k):
        if n == 0:
            return 1
        if n < 0 or k == 0:
            return 0
        key = n * 10000 + k
        v = cache.get(key)
        if v is None:
            v = p(n - k, k) + p(n, k - 1)
            cache[key] = v
        return v

    out = 0
    for m in range(1, n + 1):
        out = p(m, m)
    return out


def grid_paths(w, h, blocked):
    memo = {}

    def go(x, y):
        if (x, y) in blocked:
            return 0
        if x == 0 and y == 0:
            return 1
        if (x, y) in memo:
            return memo[(x, y)]
        r = 0
        if x > 0:
            r += go(x - 1, y)
        if y > 0:
            r += go(x, y - 1)
        memo[(x, y)] = r
        return r

    total = 0
    for y in range(h):
        total = go(w - 1, y)
    return total


def lcs(a, b):
    table = {}
    for i in range(len(a) + 1):
        for j in range(len(b) + 1):
            if i == 0 or j == 0:
                table[i, j] = 0
            elif a[i - 1] == b[j - 1]:
                table[i, j] = table[i - 1, j - 1] + 1
            else:
                table[i, j] = max(table[i - 1, j], table[i, j - 1])
    return table[len(a), len(b)]


def make_string(n, seed):
    out = []
    for _ in range(n):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        out.append("acgt"[(seed >> 16) % 4])
    return "".join(out)


def main(reps, n):
    for rep in range(reps):
        run(n, rep)


def run(n, rep):
    a = make_string(n, 1 + 2 * rep)
    b = make_string(n + n // 4, 2 + 2 * rep)
    ed = edit_distance(a, b)
    cache = {}
    pt = partitions(n, cache)
    blocked = set()
    for i in range(7, n, 7):
        blocked.add((i, (i * 3) % n))
    gp = grid_paths(n // 2, n // 2, blocked)
    l = lcs(a, b)
    print("%d: edit %r partitions %d (cache %d) grid %d lcs %d" % (
        rep, ed, pt, len(cache), gp % 1000000007, l))


main(N, SIZE)
