# range.index and range.count: ints by arithmetic, other values by equality,
# and the two ValueError messages.
r = range(1, 20, 4)
print(r.index(9), r.count(9), r.count(10), r.count(9.0), r.index(13.0), range(10, 0, -3).index(4), range(5).count(True))
for bad in (lambda: r.index(10), lambda: r.index("x"), lambda: r.index(2.5), lambda: range(0).index(0)):
    try:
        bad()
    except ValueError as e:
        print("ValueError", e)
