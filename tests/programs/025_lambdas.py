# Lambdas: closures, defaults, immediate invocation, higher-order use
sq = lambda x: x * x
add = lambda a, b=1: a + b
print(sq(7), add(2), add(2, 3), (lambda: "now")())
print((lambda *a, **k: (a, sorted(k)))(1, 2, z=3))
compose = lambda f, g: lambda x: f(g(x))
inc = lambda x: x + 1
print(compose(sq, inc)(3), compose(inc, sq)(3))
adders = [lambda x, i=i: x + i for i in range(5)]
print([a(10) for a in adders])
late = [lambda x: x + i for i in range(5)]
print([a(10) for a in late])
pairs = [(3, "c"), (1, "a"), (2, "b"), (1, "z")]
print(sorted(pairs, key=lambda p: p[1]))
print(sorted(pairs, key=lambda p: (-p[0], p[1])))
print(list(map(lambda x: x * 3, range(5))))
print(list(filter(lambda x: x % 2, range(10))))
curry = lambda a: lambda b: lambda c: a * 100 + b * 10 + c
print(curry(1)(2)(3))
fact = lambda n: 1 if n <= 1 else n * fact(n - 1)
print(fact(10), fact(20))
ops = {"+": lambda a, b: a + b, "-": lambda a, b: a - b,
       "*": lambda a, b: a * b, "/": lambda a, b: a / b}
for op in "+-*/":
    print(op, ops[op](12, 4))
print((lambda x: (lambda y: x + y))(10)(5))
print(sq.__name__, (lambda: 0).__name__)
cond = lambda x: "neg" if x < 0 else ("zero" if x == 0 else "pos")
print([cond(v) for v in (-2, 0, 5)])
def make_counter():
    count = [0]
    return lambda: (count.__setitem__(0, count[0] + 1), count[0])[1]
c = make_counter()
print(c(), c(), c())
print(max(["apple", "fig", "banana"], key=lambda s: len(s)))
print(min(range(-5, 5), key=lambda v: abs(v - 2)))
