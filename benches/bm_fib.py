# Recursive calls: naive fib, Ackermann and Takeuchi.
N = 33


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def ack(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ack(m - 1, 1)
    return ack(m - 1, ack(m, n - 1))


def tak(x, y, z):
    if y < x:
        return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
    return z


def main(n):
    f = fib(n)
    a = 0
    for i in range(n):
        a += ack(2, i) + ack(3, i % 4)
    t = tak(18, 12, 6)
    print("fib(%d) = %d" % (n, f))
    print("ack sum = %d, tak = %d" % (a, t))


main(N)
