# Big integer powers, pow with modulus, digits, conversions
print(2 ** 100, 3 ** 64, 7 ** 50)
print(10 ** 30 + 1, 10 ** 30 - 1, -(10 ** 25))
print((2 ** 64) * (2 ** 64) == 2 ** 128, 2 ** 128)
print((-3) ** 41, (-3) ** 40)
print(pow(2, 1000) % 1000007, pow(2, 1000, 1000007))
print(pow(3, 10 ** 18, 10 ** 9 + 7), pow(123456789, 987654321, 1000000007))
print(pow(7, -1, 13), pow(-2, 101, 1000), pow(5, 0, 7), pow(0, 0, 1))
print(len(str(2 ** 1000)), sum(map(int, str(2 ** 1000))))
print(2 ** 200 // 3 ** 80, 2 ** 200 % 3 ** 80)
big = 12345678901234567890123456789
print(big * big, big // 97, big % 97, -big // 97, -big % 97)
print(big + 0.0, float(2 ** 100), int(1e22), int(2.0 ** 80))
print(big.bit_length(), (2 ** 100).bit_length(), (-(2 ** 100)).bit_length())
print(str(2 ** 256)[:10], hex(2 ** 100), oct(2 ** 70), bin(2 ** 65))
print(int("1" * 40), int("f" * 30, 16), int("7" * 25, 8))
print(10 ** 40 // 10 ** 20 == 10 ** 20, 10 ** 40 / 10 ** 20)
print(abs(-(2 ** 90)), -(-(2 ** 90)), +(2 ** 90))
mers = [p for p in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31] if pow(2, 2 ** p - 1 - 1, 2 ** p - 1) == 1]
print(mers)
x = 1
for i in range(1, 30):
    x = x * 1000003 + i
print(x)
print(x % (2 ** 61 - 1), x // (2 ** 61 - 1))
print((2 ** 100 + 1) == (2 ** 100 + 1), 2 ** 100 < 2 ** 100 + 1, 2 ** 100 > 2 ** 99 * 1.9)
print(max(2 ** 70, 3 ** 44, 5 ** 30), min(2 ** 70, 3 ** 44, 5 ** 30))
print(round(2 ** 70 / 3), 2 ** 70 // 3)
print(sum(2 ** i for i in range(100)) == 2 ** 100 - 1)
print(9 ** 9 ** 2 % 1000, 2 ** 3 ** 2)
