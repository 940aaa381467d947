# Generator expressions: laziness, consumption, scope of first iterable
g = (x * x for x in range(5))
print(type(g).__name__)
print(next(g), next(g), list(g), list(g))
print(sum(x for x in range(101)), max(x % 7 for x in range(50)))
print(any(x > 3 for x in range(5)), all(x < 3 for x in range(5)))
print(tuple(c.upper() for c in "abc"), "".join(str(i) for i in range(10)))
trace = []
def src(n):
    for i in range(n):
        trace.append("yield %d" % i)
        yield i
g2 = (v * 10 for v in src(3))
print(trace)
print(next(g2), trace)
print(list(g2), trace)
data = [3, 1, 4, 1, 5, 9, 2, 6]
g3 = (x for x in data if x > 2)
data = []
print(list(g3))
pairs = ((a, b) for a in range(3) for b in range(a))
print(list(pairs))
nested = (sum(j for j in range(i)) for i in range(6))
print(list(nested))
print(sorted((x for x in "hello"), reverse=True))
print(dict((k, len(k)) for k in ["aa", "b"]))
print(set(x % 3 for x in range(9)) == {0, 1, 2})
print(list(zip((i for i in range(3)), (c for c in "xyz"))))
g4 = (i for i in range(3))
print(list(enumerate(g4)))
print(min((len(w), w) for w in ["pear", "fig", "apple"]))
total = 0
for v in (i * 2 for i in range(1, 6)):
    total += v
print(total)
g5 = (x for x in range(3))
for v in g5:
    print("loop", v)
print(next(g5, "exhausted"))
print(list(x for x in range(3) for _ in range(2)))
