# Exceptions raised and handled inside loops, comprehensions, and generators
results = []
for v in ["1", "2", "x", "4", "", "6.0", "7"]:
    try:
        results.append(int(v))
    except ValueError as e:
        results.append("bad:" + repr(v))
print(results)
def safe(fn, *a, default=None):
    try:
        return fn(*a)
    except Exception as e:
        return default if default is not None else type(e).__name__
print([safe(lambda x: 10 // x, v) for v in [5, 0, 2, "s", -3]])
print([safe(int, s, default=-1) for s in ["10", "ten", "0x1"]])
errors = 0
i = 0
while i < 10:
    i += 1
    try:
        if i % 3 == 0:
            raise ValueError(i)
        if i == 8:
            break
    except ValueError:
        errors += 1
        continue
    finally:
        results = i
print("errors", errors, "stopped at", i, results)
def gen():
    for i in range(6):
        try:
            if i == 2:
                raise KeyError(i)
            yield i
        except KeyError:
            yield "caught %d" % i
print(list(gen()))
data = {"a": 1, "b": "two", "c": None, "d": 4}
total = 0
problems = []
for k, v in data.items():
    try:
        total += v
    except TypeError as e:
        problems.append((k, str(e)))
print(total, problems)
attempt = 0
while True:
    attempt += 1
    try:
        if attempt < 4:
            raise ConnectionError("try %d" % attempt)
        print("connected on attempt", attempt)
        break
    except ConnectionError as e:
        print("retry after", e)
count = 0
for outer in range(3):
    for inner in range(3):
        try:
            if inner == outer:
                raise StopIteration
            count += 1
        except StopIteration:
            break
print("count", count)
