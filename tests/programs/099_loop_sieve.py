# Loop-heavy: sieve of Eratosthenes to 20000, prime statistics
N = 20000
is_prime = [True] * (N + 1)
is_prime[0] = is_prime[1] = False
i = 2
while i * i <= N:
    if is_prime[i]:
        for j in range(i * i, N + 1, i):
            is_prime[j] = False
    i += 1
primes = [k for k in range(N + 1) if is_prime[k]]
print("count", len(primes))
print("first 20", primes[:20])
print("last 10", primes[-10:])
print("sum", sum(primes))
twins = 0
for a, b in zip(primes, primes[1:]):
    if b - a == 2:
        twins += 1
print("twin pairs", twins)
max_gap = 0
gap_at = 0
for a, b in zip(primes, primes[1:]):
    if b - a > max_gap:
        max_gap = b - a
        gap_at = a
print("max gap", max_gap, "after", gap_at)
buckets = [0] * 10
for p in primes:
    buckets[p % 10] += 1
print("last digit counts", buckets)
def is_prime_trial(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True
check = all(is_prime_trial(p) for p in primes[-50:])
print("trial division agrees", check)
goldbach_ok = True
for even in range(4, 2001, 2):
    found = False
    for p in primes:
        if p > even // 2:
            break
        if is_prime[even - p]:
            found = True
            break
    if not found:
        goldbach_ok = False
print("goldbach up to 2000", goldbach_ok)
