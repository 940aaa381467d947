# UNPACK_EX, star targets, BUILD_LIST_UNPACK style [*a, *b]
a, *b, c = range(6)
print(a, b, c)
*init, last = [1, 2, 3]
print(init, last)
first, *rest = "hello"
print(first, rest)
x, *y = [1]
print(x, y)
*z, = (1, 2, 3)
print(z)
h, *mid, t = 1, 2
print(h, mid, t)
(p, *q), r = [1, 2, 3], 4
print(p, q, r)
for head, *tail in [(1, 2, 3), (4,), (5, 6)]:
    print(head, tail)
try:
    a, *b, c = [1]
except ValueError as e:
    print("ValueError:", e)
l1 = [1, 2]
l2 = (3, 4)
l3 = "ab"
print([*l1, *l2, *l3])
print((*l1, *l2), (*l3,))
print({*l1, *l2} == {1, 2, 3, 4})
print([0, *l1, 5, *range(3), 9])
print([*[], *[]], (*(),))
def f(*args):
    return args
print(f(*l1, *l2), f(*l3, 0, *l1))
gen = (i * i for i in range(4))
print([*gen, *gen])
d = {"k1": 1, "k2": 2}
print([*d], [*d.values()], [*d.items()])
a, *b, c, d2 = range(10)
print(a, b, c, d2)
*s1, s2, s3 = "xyz"
print(s1, s2, s3)
nums = [5, 3, 8]
print(*nums)
print(*nums, sep="|")
print(*"abc", *[1, 2])
first, second, *others = sorted([9, 1, 8, 2, 7, 3])
print(first, second, others)
