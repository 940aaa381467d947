# break/continue in nested loops, flag patterns, loop-else for nested break
for i in range(4):
    for j in range(4):
        if j > i:
            break
        if (i + j) % 2:
            continue
        print(i, j)
found = None
for i in range(1, 10):
    for j in range(1, 10):
        if i * j == 42:
            found = (i, j)
            break
    else:
        continue
    break
print("found", found)
matrix = [[1, 2, 3], [4, -5, 6], [7, 8, -9]]
for r, row in enumerate(matrix):
    for c, v in enumerate(row):
        if v < 0:
            print("first negative at", r, c)
            break
    else:
        print("row", r, "all positive")
count = 0
i = 0
while i < 5:
    j = 0
    while j < 5:
        j += 1
        if j == 2:
            continue
        if j == 4:
            break
        count += 1
    i += 1
print("count", count)
result = []
for a in range(3):
    for b in range(3):
        for c in range(3):
            if c == 2:
                break
            if a == b:
                continue
            result.append((a, b, c))
print(result)
def first_pair_sum(nums, target):
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            if nums[i] + nums[j] == target:
                return i, j
    return None
print(first_pair_sum([3, 8, 11, 5, 7], 12), first_pair_sum([1, 2], 10))
total = 0
for x in range(10):
    if x % 2 == 0:
        continue
    for y in range(x):
        if y > 3:
            break
        total += x * y
print("total", total)
outer = 0
while True:
    outer += 1
    inner = 0
    while True:
        inner += 1
        if inner >= outer:
            break
    if outer >= 4:
        break
print(outer, inner)
