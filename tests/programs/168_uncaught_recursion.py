# Ends with RecursionError from unbounded recursion (traceback collapses repeats)
def depth_ok(n):
    return 0 if n == 0 else 1 + depth_ok(n - 1)
print(depth_ok(100))
try:
    depth_ok(100000)
except RecursionError as e:
    print("caught:", type(e).__name__, isinstance(e, RuntimeError))
print(depth_ok(50))
def countdown(n, acc):
    if n == 0:
        return acc
    return countdown(n - 1, acc + [n])
print(countdown(10, []))
def forever(n):
    return forever(n + 1) + 1
print(depth_ok(0), depth_ok(1), depth_ok(2))
print("recursing without bound")
forever(0)
print("not reached")
