# Integer loops: nested loops of small-int arithmetic, bit twiddling, collatz.
N = 1200


def collatz_len(n):
    steps = 0
    while n != 1:
        if n & 1:
            n = 3 * n + 1
        else:
            n >>= 1
        steps += 1
    return steps


def mix(n):
    acc = 0
    for i in range(n):
        for j in range(n):
            x = (i * 31 + j * 17) % 1009
            acc = (acc + (x ^ (i << 3)) - (j >> 1)) & 0xFFFFFFF
    return acc


def gcd_sum(n):
    total = 0
    for a in range(1, n):
        b = n * 7 + 3
        x, y = a, b
        while y:
            x, y = y, x % y
        total += x
    return total


def main(n):
    best = 0
    best_i = 0
    for i in range(1, n * 40):
        c = collatz_len(i)
        if c > best:
            best = c
            best_i = i
    m = mix(n)
    g = gcd_sum(n * 20)
    print("collatz best %d at %d" % (best, best_i))
    print("mix %d gcd %d" % (m, g))


main(N)
