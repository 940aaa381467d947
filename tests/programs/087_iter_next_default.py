# iter()/next() with default, sentinel form, manual iteration
it = iter([1, 2])
print(next(it), next(it), next(it, "default"), next(it, None))
try:
    next(it)
except StopIteration as e:
    print("StopIteration", e.args)
it = iter({"a": 1, "b": 2})
print(next(it), next(it), next(it, "end"))
it = iter(range(3))
print(iter(it) is it, list(it))
chars = iter("xyz")
first = next(chars)
rest = "".join(chars)
print(first, rest)
lines = ["line 1", "line 2", "", "ignored"]
src = iter(lines)
reader = iter(lambda: next(src), "")
print(list(reader), list(src))
counter = [0]
def tick():
    counter[0] += 1
    return counter[0]
print(list(iter(tick, 5)))
def pairs(seq):
    it = iter(seq)
    while True:
        a = next(it, None)
        b = next(it, None)
        if a is None:
            return
        yield a, b
print(list(pairs([1, 2, 3, 4, 5])))
try:
    next([1, 2])
except TypeError as e:
    print("TypeError:", e)
try:
    iter(5)
except TypeError as e:
    print("TypeError:", e)
it = iter([10, 20, 30, 40])
for x in it:
    print("got", x, "skipping", next(it, None))
g = (i for i in range(2))
print(next(g), next(g), next(g, "gen done"))
d = {}
print(next(iter(d), "empty dict"), next(iter(d.items()), ("no", "items")))
class Peek:
    def __init__(self, it):
        self.it = iter(it)
        self.buf = []
    def peek(self, default=None):
        if not self.buf:
            self.buf.append(next(self.it, default))
        return self.buf[0]
    def __next__(self):
        return self.buf.pop() if self.buf else next(self.it)
    def __iter__(self):
        return self
p = Peek("abc")
print(p.peek(), p.peek(), next(p), next(p), list(p))
