# Ends with an uncaught ZeroDivisionError from integer division in a loop
def average(values):
    return sum(values) // len(values)
data = [[1, 2, 3], [10, 20], [7], [100, 200, 300, 400]]
for group in data:
    print(group, "avg", average(group))
def ratios(pairs):
    out = []
    for a, b in pairs:
        out.append(a / b)
        print("ratio", a, b, out[-1])
    return out
ratios([(1, 2), (9, 3), (5, 4)])
def safe_avg(values):
    try:
        return average(values)
    except ZeroDivisionError as e:
        print("safe_avg caught:", e)
        return None
print(safe_avg([]), safe_avg([4, 6]))
print(7 % 3, -7 // 2, 2 ** -1, 1e308 * 10)
print("now averaging an empty group")
average([])
print("not reached")
