# Ends with sys.exit(3): exit status 3, no traceback, finally blocks still run
import sys
def check(values):
    bad = [v for v in values if v < 0]
    print("checked", len(values), "values,", len(bad), "bad")
    return bad
check([1, 2, 3])
try:
    sys.exit(5)
except SystemExit as e:
    print("caught SystemExit, code", e.code, type(e.code).__name__)
print("sys.argv[0] is", sys.argv[0])
bad = check([4, -1, 5, -2])
try:
    if bad:
        print("exiting with status 3")
        sys.exit(3)
finally:
    print("finally runs during SystemExit")
print("not reached")
