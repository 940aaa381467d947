# gcd/lcm, extended Euclid, modular inverse, factorization, totient, perfect numbers
def gcd(a, b):
    while b:
        a, b = b, a % b
    return abs(a)
def lcm(a, b):
    return a // gcd(a, b) * b
print(gcd(48, 18), gcd(17, 5), gcd(0, 9), gcd(-12, 8), lcm(4, 6), lcm(21, 6))
def egcd(a, b):
    if b == 0:
        return a, 1, 0
    g, x, y = egcd(b, a % b)
    return g, y, x - (a // b) * y
for a, b in [(240, 46), (17, 3120), (99, 78)]:
    g, x, y = egcd(a, b)
    print(a, b, g, x, y, a * x + b * y == g)
def modinv(a, m):
    g, x, _ = egcd(a, m)
    return x % m if g == 1 else None
print(modinv(3, 11), modinv(17, 3120), modinv(6, 9), pow(17, -1, 3120))
def factorize(n):
    f = {}
    d = 2
    while d * d <= n:
        while n % d == 0:
            f[d] = f.get(d, 0) + 1
            n //= d
        d += 1 if d == 2 else 2
    if n > 1:
        f[n] = f.get(n, 0) + 1
    return f
for n in [2, 12, 97, 360, 1001, 65536, 999999, 600851475143]:
    print(n, factorize(n))
def phi(n):
    r = n
    for p in factorize(n):
        r = r // p * (p - 1)
    return r
print([phi(n) for n in range(1, 21)])
def divisors(n):
    small, large = [], []
    d = 1
    while d * d <= n:
        if n % d == 0:
            small.append(d)
            if d != n // d:
                large.append(n // d)
        d += 1
    return small + large[::-1]
print(divisors(36), divisors(97), divisors(1))
perfect = [n for n in range(2, 10000) if sum(divisors(n)[:-1]) == n]
print("perfect:", perfect)
def crt(rems, mods):
    x, m = 0, 1
    for r, mi in zip(rems, mods):
        inv = modinv(m % mi, mi)
        x = x + m * ((r - x) * inv % mi)
        m *= mi
    return x % m
print(crt([2, 3, 2], [3, 5, 7]), crt([1, 2, 3, 4], [5, 7, 9, 11]))
print(sum(1 for a in range(1, 50) for b in range(1, 50) if gcd(a, b) == 1))
