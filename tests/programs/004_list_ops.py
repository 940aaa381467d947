# List concatenation, repetition, comparisons, nested lists
a = [1, 2, 3]
b = [4, 5]
print(a + b, b + a, a * 2, [0] * 5, [] * 3)
print(a == [1, 2, 3], a != b, a < b, [1, 2] < [1, 2, 3], [2] > [1, 9])
print(len(a), len(a + b), len([]))
print(2 in a, 9 in a, [1] in [[1], [2]])
c = a
c += [10]
print(a, c, a is c)
d = a
d = d + [11]
print(a, d, a is d)
m = [[0] * 3 for _ in range(3)]
m[1][1] = 5
print(m)
bad = [[0] * 3] * 3
bad[0][0] = 7
print(bad)
nested = [1, [2, [3, [4, [5]]]]]
print(nested[1][1][1][1][0])
x = [3, 1, 2]
x *= 3
print(x)
print(list(range(10))[2:8:2])
words = ["b", "a", "c"]
print(words + ["d"], sorted(words), words)
lst = []
for i in range(10):
    if i % 3:
        lst.append(i * i)
print(lst, sum(lst))
print([1, 2, 3] * 0, [None] * 2)
print([[1, 2], [3]] + [[4]])
print(list((1, 2)) + list("ab"))
print(max([4, 8, 2]), min([4, 8, 2]))
e = [5, 6, 7]
e[0], e[2] = e[2], e[0]
print(e)
print(e.index(6), e.count(5))
print([] == [], [] is [], [[]] == [[]])
