# Lists and sieves: Eratosthenes sieve, list slicing/append/pop, matrix of lists.
N = 4000000


def sieve(n):
    flags = [True] * (n + 1)
    flags[0] = flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            flags[i * i::i] = [False] * len(range(i * i, n + 1, i))
        i += 1
    return [k for k in range(n + 1) if flags[k]]


def sieve_loop(n):
    flags = [True] * (n + 1)
    count = 0
    for i in range(2, n + 1):
        if flags[i]:
            count += 1
            for j in range(i * i, n + 1, i):
                flags[j] = False
    return count


def list_work(primes):
    stack = []
    total = 0
    for p in primes:
        stack.append(p)
        if len(stack) > 8:
            total += stack.pop(0) - stack.pop()
    rev = primes[::-1]
    gaps = [b - a for a, b in zip(primes, primes[1:])]
    max_gap = max(gaps)
    stack.extend(rev[:100])
    stack.sort()
    return total, max_gap, sum(stack[:50]), gaps.count(2)


def matmul(n):
    a = [[(i * j) % 7 for j in range(n)] for i in range(n)]
    b = [[(i + j) % 5 for j in range(n)] for i in range(n)]
    c = [[0] * n for _ in range(n)]
    for i in range(n):
        ai = a[i]
        ci = c[i]
        for k in range(n):
            aik = ai[k]
            bk = b[k]
            for j in range(n):
                ci[j] += aik * bk[j]
    return sum(sum(row) for row in c)


def main(n):
    primes = sieve(n)
    c = sieve_loop(n)
    t, g, s, twins = list_work(primes)
    m = matmul(min(100, n // 10000))
    print("primes %d/%d last %d" % (len(primes), c, primes[-1]))
    print("list %d gap %d sum %d twins %d mat %d" % (t, g, s, twins, m))


main(N)
