# break/continue with finally in nested for loops and with-statements inside loops
res = []
for a in range(3):
    for b in range(3):
        try:
            if b == 1:
                continue
            if a == 2:
                break
            res.append((a, b))
        finally:
            res.append("x")
print(res)
def with_in_loop():
    class CM:
        def __enter__(self):
            return self
        def __exit__(self, *a):
            print("  cm exit")
    for i in range(3):
        with CM():
            if i == 0:
                continue
            break
    return i
print(with_in_loop())
