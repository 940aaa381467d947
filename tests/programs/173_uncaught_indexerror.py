# Ends with an IndexError from reading past the end of a list
def moving_sum(xs, k):
    out = []
    for i in range(len(xs)):
        s = 0
        for j in range(k):
            s += xs[i + j]
        out.append(s)
        print("window at", i, "sum", s)
    return out
try:
    [1, 2, 3][3]
except IndexError as e:
    print("caught:", e)
grid = [[1, 2], [3, 4]]
print(grid[1][1], grid[-1][0])
print(grid[0][-2:], [row[0] for row in grid], grid[5:])
print(moving_sum([1, 2, 3, 4], 1))
moving_sum([5, 1, 4, 2, 8], 2)
print("not reached")
