# Big integer factorials, digit sums, arithmetic on huge numbers
def fact(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r
for n in [0, 1, 5, 10, 20, 21, 25, 30, 50]:
    print(n, fact(n))
f100 = fact(100)
print(f100)
print(len(str(f100)), sum(int(d) for d in str(f100)))
zeros = 0
x = f100
while x % 10 == 0:
    x //= 10
    zeros += 1
print("trailing zeros", zeros)
print(fact(52) // fact(47) // fact(5))
print(fact(30) // fact(28), fact(30) % 1000000007)
def binom(n, k):
    return fact(n) // (fact(k) * fact(n - k))
print([binom(10, k) for k in range(11)])
print(binom(100, 50))
print(-fact(25), -fact(25) // 7, -fact(25) % 7, fact(25) // -7)
print(fact(40) * fact(40) - fact(41) * fact(39))
print(fact(20) + 1, fact(20) - 1, (fact(20) + 1) * (fact(20) - 1))
print(fact(22) == 1124000727777607680000, fact(22) > 2 ** 64)
print(divmod(fact(30), 10 ** 15))
a = fact(35)
b = fact(17)
print(a // b, a % b, a * b)
import math
print(math.factorial(60) == fact(60), math.gcd(fact(20), 2 ** 40))
double_fact = 1
for i in range(1, 60, 2):
    double_fact *= i
print(double_fact)
print(str(fact(70))[:20], str(fact(70))[-20:])
print(int(str(fact(45))) == fact(45), int("-" + str(fact(26))))
