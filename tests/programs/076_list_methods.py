# list methods: append/extend/insert/remove/pop/clear/index/count/reverse/copy
l = [3, 1, 4]
l.append(1)
l.extend([5, 9])
l.extend(range(2))
l.extend("ab")
print(l)
l.insert(0, "first")
l.insert(100, "last")
l.insert(-1, "before-last")
l.insert(-100, "very-first")
print(l)
l.remove(1)
print(l, l.count(1), l.index(1), l.index(4))
print(l.pop(), l.pop(0), l.pop(-2), l.pop(2))
print(l)
try:
    l.remove("nope")
except ValueError as e:
    print("ValueError:", e)
try:
    [].pop()
except IndexError as e:
    print("IndexError:", e)
try:
    l.index(999)
except ValueError as e:
    print("ValueError:", e)
print(l.index(0, 3), [1, 2, 1, 2].index(2, 2))
c = l.copy()
c.reverse()
print(l, c, c is l, l[:] == l)
c.clear()
print(c, len(c))
nums = [5, 2, 8, 1, 9, 3]
nums.sort()
print(nums)
nums.sort(reverse=True)
print(nums)
print(nums.sort() is None)
stack = []
for i in range(5):
    stack.append(i)
while stack:
    print("pop", stack.pop(), end="; ")
print()
queue = list("abc")
queue.append("d")
print(queue.pop(0), queue.pop(0), queue)
m = [[1], [2]]
shallow = m.copy()
shallow[0].append(99)
shallow.append([3])
print(m, shallow)
l2 = [0] * 3
l2[1:2] = [7, 8, 9]
print(l2, len(l2), l2 * 2, list(reversed(l2)))
print([].count(1), [None, None].count(None), [[1], [1]].count([1]))
