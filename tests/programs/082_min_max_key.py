# min/max with key, default, multiple args, ties keep first
print(max(3, 1, 4), min(3, 1, 4), max([2, 7, 1]), min("hello"))
print(max([], default="empty"), min((), default=None), max([5], default=0))
words = ["pear", "fig", "banana", "kiwi", "apple", "date"]
print(max(words, key=len), min(words, key=len), max(words), min(words))
print(max(words, key=lambda w: w[-1]), min(words, key=lambda w: (len(w), w)))
pairs = [(1, "b"), (3, "a"), (3, "z"), (2, "q")]
print(max(pairs), min(pairs), max(pairs, key=lambda p: p[0]), min(pairs, key=lambda p: p[1]))
print(max(1, 2.5, 2), min(-1, -1.0), max(-1.0, -1), max(True, 1), max(1, True))
d = {"a": 5, "b": 9, "c": 1}
print(max(d), max(d, key=d.get), min(d.values()), max(d.items(), key=lambda kv: kv[1]))
try:
    max([])
except ValueError as e:
    print("ValueError:", e)
try:
    min()
except TypeError as e:
    print("TypeError:", e)
try:
    max(1, "a")
except TypeError as e:
    print("TypeError:", e)
print(max(range(10), key=lambda x: (x % 4, -x)), min(range(-5, 5), key=abs))
print(max("abc", "abd", "ab"), min([[3], [1, 2], [1]]))
ties = [("x", 1), ("y", 1), ("z", 0)]
print(max(ties, key=lambda t: t[1]), min(ties, key=lambda t: -t[1]))
gen = (x * x - 10 * x for x in range(15))
print(min(gen))
print(max(map(int, "3 9 27 4".split())), min(map(len, words)))
print(max(2 ** 100, 3 ** 60), min(1e308, 2 ** 1024))
class V:
    def __init__(self, n):
        self.n = n
    def __lt__(self, o):
        return self.n < o.n
    def __gt__(self, o):
        return self.n > o.n
    def __repr__(self):
        return "V%d" % self.n
vs = [V(3), V(7), V(7), V(1)]
print(max(vs), min(vs), max(vs, key=lambda v: -v.n))
