# map and filter: lazy evaluation, multiple iterables, None filter
print(list(map(str, range(5))), list(map(len, ["a", "bb", ""])))
print(list(map(lambda x, y: x * y, [1, 2, 3], [4, 5, 6, 7])))
print(list(map(pow, [2, 3, 4], [5, 2, 1])), list(map(max, [1, 5], [4, 2], [3, 3])))
print(list(filter(None, [0, 1, "", "a", None, [], [0], False, True])))
print(list(filter(lambda s: s.isupper(), "aBcDeF")), list(filter(str.isdigit, "a1b2c3")))
log = []
def noisy(x):
    log.append(x)
    return x * 10
m = map(noisy, [1, 2, 3])
print(log)
print(next(m), log)
print(list(m), log)
evens = filter(lambda n: n % 2 == 0, range(20))
squares = map(lambda n: n * n, evens)
print(list(squares))
print(sum(map(int, "1 2 3 4 5".split())), "".join(map(chr, [80, 121])))
words = ["apple", "Banana", "cherry", "Date"]
print(list(map(str.upper, words)), list(filter(lambda w: w[0].isupper(), words)))
print(list(map(lambda p: p[0] + p[1], zip("abc", "xyz"))))
print(dict(map(lambda w: (w, len(w)), words)))
print(list(map(int.__add__, [1, 2], [10, 20])), list(map(abs, [-1, 2, -3])))
def compose(*fns):
    def run(x):
        for f in fns:
            x = f(x)
        return x
    return run
pipeline = compose(lambda s: s.strip(), str.lower, lambda s: s.replace(" ", "_"))
print(list(map(pipeline, ["  Hello World ", "FOO BAR"])))
print(type(map(len, [])).__name__, type(filter(None, [])).__name__)
nums = range(1, 30)
print(list(filter(lambda n: all(n % d for d in range(2, n)), filter(lambda n: n > 1, nums))))
print(list(map(list, zip(*[[1, 2], [3, 4], [5, 6]]))))
