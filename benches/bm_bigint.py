# Big integers: factorials, pidigits (spigot), Fibonacci by doubling, powmod.
N = 4500


def pidigits(ndigits):
    # Gibbons' unbounded spigot algorithm.
    q, r, t, k, m, x = 1, 0, 1, 1, 3, 3
    digits = []
    while len(digits) < ndigits:
        if 4 * q + r - t < m * t:
            digits.append(m)
            q, r, m = 10 * q, 10 * (r - m * t), (10 * (3 * q + r)) // t - 10 * m
        else:
            q, r, t, k, m, x = q * k, (2 * q + r) * x, t * x, k + 1, (q * (7 * k + 2) + r * x) // (t * x), x + 2
    return digits


def factorial(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def fib_doubling(n):
    if n == 0:
        return 0, 1
    a, b = fib_doubling(n // 2)
    c = a * (2 * b - a)
    d = a * a + b * b
    if n % 2:
        return d, c + d
    return c, d


def digits_of(x):
    # decimal digits without str() (CPython 3.9.18 limits int->str to 4300 digits)
    chunks = []
    while x:
        x, r = divmod(x, 10 ** 9)
        chunks.append(r)
    count = 9 * (len(chunks) - 1) + len(str(chunks[-1]))
    total = 0
    for c in chunks:
        while c:
            c, d = divmod(c, 10)
            total += d
    return count, total


def main(n):
    digits = pidigits(n)
    f = factorial(n * 2)
    fb, _ = fib_doubling(n * 100)
    p = pow(3, n * 50, 10 ** 40 + 7)
    big = 7 ** (n * 3)
    mixed = (big * 12345678901234567890 - f % big) // (fb % 1000003 + 1)
    h = 0
    for i in range(0, f.bit_length(), 97):
        h = (h * 1000003 + ((f >> i) & 0xFFFFFFFFFFFF)) % 2305843009213693951
    print("pi %s...%s" % ("".join(str(d) for d in digits[:20]), "".join(str(d) for d in digits[-10:])))
    nd, ds = digits_of(f)
    print("fact digits %d sum %d fib bits %d pow %d mixed %d hash %d" % (
        nd, ds, fb.bit_length(), p, mixed % 1000000007, h % 999999937))


main(N)
