# Iterator protocol: __iter__/__next__, StopIteration, GET_ITER/FOR_ITER
class Countdown:
    def __init__(self, start):
        self.cur = start
    def __iter__(self):
        return self
    def __next__(self):
        if self.cur <= 0:
            raise StopIteration
        self.cur -= 1
        return self.cur + 1
print(list(Countdown(5)))
for v in Countdown(3):
    print("tick", v)
c = Countdown(2)
print(next(c), next(c), next(c, "done"))
class Range2:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        i = 0
        while i < self.n:
            yield i
            i += 1
r = Range2(4)
print(list(r), list(r), sum(r), [x * y for x in r for y in r if x < y])
class Pairs:
    def __init__(self, seq):
        self.seq = seq
    def __iter__(self):
        return PairIter(self.seq)
class PairIter:
    def __init__(self, seq):
        self.seq, self.i = seq, 0
    def __iter__(self):
        return self
    def __next__(self):
        if self.i + 1 >= len(self.seq):
            raise StopIteration
        pair = (self.seq[self.i], self.seq[self.i + 1])
        self.i += 1
        return pair
print(list(Pairs("abcd")), dict(Pairs([1, 2, 3])))
a, b, *rest = Countdown(6)
print(a, b, rest)
print(max(Countdown(4)), sorted(Countdown(4)), tuple(Countdown(2)))
it = iter([1, 2, 3])
print(next(it), list(it), next(it, None))
it2 = iter("xy")
print(next(it2), next(it2))
try:
    next(it2)
except StopIteration:
    print("StopIteration from str iterator")
class NotIter:
    pass
try:
    iter(NotIter())
except TypeError as e:
    print("TypeError:", e)
class BadIter:
    def __iter__(self):
        return 5
try:
    for x in BadIter():
        pass
except TypeError as e:
    print("TypeError:", e)
calls = [0]
def producer():
    calls[0] += 1
    return calls[0] if calls[0] < 5 else "stop"
print(list(iter(producer, "stop")))
print(list(zip(Countdown(3), Countdown(5))))
