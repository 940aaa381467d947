# Ends with an AssertionError carrying a formatted message
def mean(xs):
    assert xs, "mean of empty sequence"
    return sum(xs) / len(xs)
def variance(xs):
    m = mean(xs)
    return sum((x - m) ** 2 for x in xs) / len(xs)
samples = [2, 4, 4, 4, 5, 5, 7, 9]
print(mean(samples), variance(samples))
try:
    mean([])
except AssertionError as e:
    print("caught:", e)
def check_sorted(xs):
    for a, b in zip(xs, xs[1:]):
        assert a <= b, "not sorted: %r > %r in %r" % (a, b, xs)
    print("sorted ok:", xs)
check_sorted([1, 2, 3])
check_sorted(sorted(samples))
check_sorted([1, 3, 2, 4])
print("not reached")
