# sum with start, any/all with short-circuit, on various iterables
print(sum([1, 2, 3]), sum([]), sum([1, 2], 10), sum(range(100)), sum([0.1] * 10))
print(sum([[1], [2, 3]], []), sum(((1,), (2,)), ()), sum([1.5, 2, 3]))
print(sum(x * x for x in range(10)), sum(i % 3 == 0 for i in range(30)))
print(sum([2 ** 64, 2 ** 64]), sum([True, True, False]), sum([], 0.0))
try:
    sum(["a", "b"], "")
except TypeError as e:
    print("TypeError:", e)
try:
    sum([1, "a"])
except TypeError as e:
    print("TypeError:", e)
print(any([]), all([]), any([0, "", None]), any([0, 1]), all([1, "a", [0]]), all([1, 0]))
seen = []
def check(v):
    seen.append(v)
    return v > 2
print(any(check(v) for v in [1, 2, 3, 4, 5]), seen)
seen.clear()
print(all(check(v) for v in [3, 4, 1, 5]), seen)
seen.clear()
print(any(map(check, [0, 0, 0])), seen)
nums = [2, 4, 6, 8]
print(all(n % 2 == 0 for n in nums), any(n > 7 for n in nums), any(n > 8 for n in nums))
grid = [[1, 1], [1, 0], [1, 1]]
print(all(all(row) for row in grid), any(all(row) for row in grid), sum(map(sum, grid)))
print(sum(range(1, 11)) / len(range(1, 11)))
class Num:
    def __init__(self, v):
        self.v = v
    def __add__(self, o):
        return Num(self.v + (o.v if isinstance(o, Num) else o))
    def __radd__(self, o):
        return Num(o + self.v)
print(sum([Num(1), Num(2), Num(3)]).v, sum([Num(5)], Num(100)).v)
print(any("x" in w for w in ["abc", "xyz"]), all(w.islower() for w in ["ab", "Cd"]))
print(sum(1 for _ in "counting chars"), sum(len(w) for w in "a bb ccc".split()))
print(sum([0.1, 0.2, 0.3]), sum([1e100, 1.0, -1e100]))
