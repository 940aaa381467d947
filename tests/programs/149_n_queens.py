# Backtracking: N-queens, subsets summing to target, permutations via swapping
def queens(n):
    sols = []
    cols, d1, d2 = set(), set(), set()
    board = []
    def place(r):
        if r == n:
            sols.append(list(board))
            return
        for c in range(n):
            if c in cols or r - c in d1 or r + c in d2:
                continue
            cols.add(c); d1.add(r - c); d2.add(r + c); board.append(c)
            place(r + 1)
            cols.remove(c); d1.remove(r - c); d2.remove(r + c); board.pop()
    place(0)
    return sols
for n in range(1, 8):
    print(n, len(queens(n)))
first = queens(6)[0]
for c in first:
    print("".join("Q" if i == c else "." for i in range(6)))
def subset_sums(nums, target):
    out = []
    def go(i, chosen, total):
        if total == target:
            out.append(list(chosen))
            return
        if i == len(nums) or total > target:
            return
        chosen.append(nums[i])
        go(i + 1, chosen, total + nums[i])
        chosen.pop()
        go(i + 1, chosen, total)
    go(0, [], 0)
    return out
print(subset_sums([3, 34, 4, 12, 5, 2], 9))
print(subset_sums([1, 2, 3, 4, 5, 6], 10))
def permute(a):
    res = []
    def go(k):
        if k == len(a):
            res.append("".join(a))
            return
        for i in range(k, len(a)):
            a[k], a[i] = a[i], a[k]
            go(k + 1)
            a[k], a[i] = a[i], a[k]
    go(0)
    return res
print(permute(list("abc")), len(permute(list("abcdef"))))
def combos(n, k, start=1):
    if k == 0:
        return [[]]
    return [[i] + rest for i in range(start, n + 1) for rest in combos(n, k - 1, i + 1)]
print(combos(5, 3))
