# Ends with an uncaught exception raised inside a generator while being consumed
def readings():
    data = [12, 15, 11, None, 14]
    for i, v in enumerate(data):
        if v is None:
            raise RuntimeError("sensor %d returned no data" % i)
        yield v
def smoothed(src):
    prev = None
    for v in src:
        if prev is not None:
            yield (prev + v) / 2
        prev = v
def take(n, src):
    for i, v in enumerate(src):
        if i == n:
            return
        yield v
print(list(take(2, readings())))
print(list(smoothed([1, 3, 5, 7])))
g = smoothed(readings())
print(next(g))
print(next(g))
for value in g:
    print("value", value)
print("not reached")
