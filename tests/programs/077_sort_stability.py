# sort/sorted with key and reverse; stability with equal keys
people = [("alice", 30), ("bob", 25), ("carol", 30), ("dave", 25), ("eve", 35), ("frank", 30)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: p[1], reverse=True))
print(sorted(people, key=lambda p: (-p[1], p[0])))
by_name = sorted(people)
by_age = sorted(by_name, key=lambda p: p[1])
print(by_age)
words = ["banana", "Apple", "cherry", "apple", "Banana", "date", "Cherry"]
print(sorted(words))
print(sorted(words, key=str.lower))
print(sorted(words, key=len))
print(sorted(words, key=len, reverse=True))
print(sorted(words, key=lambda w: (len(w), w.lower())))
nums = [3, -1, 4, -1, 5, -9, 2, 6, -5, 3]
print(sorted(nums), sorted(nums, key=abs), sorted(nums, key=abs, reverse=True))
l = list(nums)
l.sort(key=lambda x: x % 3)
print(l)
l.sort(key=lambda x: x % 3, reverse=True)
print(l)
records = [{"n": i, "g": i % 3} for i in range(10)]
records.sort(key=lambda r: r["g"])
print([r["n"] for r in records])
print(sorted("hello world"), sorted((3, 1, 2)), sorted({3: "c", 1: "a"}))
print(sorted([[2, 1], [1, 2], [1, 1]]), sorted([(1, "b"), (1, "a"), (0, "z")]))
print(sorted([0.5, -1, 2, 1.5, 0]), sorted([True, False, 2, -1]))
print(sorted([], reverse=True), sorted([1]))
calls = []
def k(v):
    calls.append(v)
    return -v
print(sorted([3, 1, 2], key=k), calls)
try:
    sorted([1, "a", 2])
except TypeError as e:
    print("TypeError:", e)
class Item:
    def __init__(self, v, tag):
        self.v, self.tag = v, tag
    def __lt__(self, o):
        return self.v < o.v
    def __repr__(self):
        return "%d%s" % (self.v, self.tag)
items = [Item(2, "a"), Item(1, "b"), Item(2, "c"), Item(1, "d"), Item(0, "e")]
print(sorted(items), sorted(items, reverse=True))
print(max(items, key=lambda i: i.v), min(people, key=lambda p: p[1]))
