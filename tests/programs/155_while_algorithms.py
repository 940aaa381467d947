# Numeric algorithms with while loops: Newton's sqrt, bisection, binary search, digit ops
def newton_sqrt(x, eps=1e-12):
    if x == 0:
        return 0.0
    g = x
    steps = 0
    while abs(g * g - x) > eps * x:
        g = (g + x / g) / 2
        steps += 1
    return g, steps
for v in [2, 9, 10, 1e6, 0.25, 12345.678]:
    print(v, newton_sqrt(v))
def bisect_root(f, lo, hi, tol=1e-10):
    n = 0
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if f(lo) * f(mid) <= 0:
            hi = mid
        else:
            lo = mid
        n += 1
    return round((lo + hi) / 2, 8), n
print(bisect_root(lambda x: x * x * x - x - 2, 1, 2))
print(bisect_root(lambda x: x * x - 2, 0, 2))
def bsearch(a, t):
    lo, hi = 0, len(a) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if a[mid] == t:
            return mid
        elif a[mid] < t:
            lo = mid + 1
        else:
            hi = mid - 1
    return -(lo + 1)
arr = list(range(1, 100, 4))
print([bsearch(arr, t) for t in (1, 5, 97, 0, 50, 200)])
def digits_sum(n):
    s = 0
    while n:
        n, d = divmod(n, 10)
        s += d
    return s
def digital_root(n):
    while n >= 10:
        n = digits_sum(n)
    return n
print([digits_sum(n) for n in (0, 9, 123, 99999, 2 ** 64)], [digital_root(n) for n in (0, 38, 99999, 2 ** 64)])
def reverse_int(n):
    r = 0
    while n:
        r = r * 10 + n % 10
        n //= 10
    return r
print(reverse_int(12345), reverse_int(1200), [n for n in range(100, 200) if reverse_int(n) == n])
def isqrt(n):
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x
print([isqrt(n) for n in (0, 1, 15, 16, 17, 10 ** 30, 2 ** 101)])
def pi_leibniz(terms):
    s, k, sign = 0.0, 0, 1.0
    while k < terms:
        s += sign / (2 * k + 1)
        sign = -sign
        k += 1
    return 4 * s
print(pi_leibniz(1000), pi_leibniz(5000))
