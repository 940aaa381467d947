# assert statement: passing, failing with/without message, message evaluation
assert True
assert 1 == 1, "not shown"
print("passed simple asserts")
try:
    assert False
except AssertionError as e:
    print("AssertionError args:", e.args)
try:
    assert 1 > 2, "one is not greater than two"
except AssertionError as e:
    print("AssertionError:", e)
evaluated = []
def msg():
    evaluated.append("called")
    return "lazy message"
assert True, msg()
print(evaluated)
try:
    assert [], msg()
except AssertionError as e:
    print(e, evaluated)
try:
    assert 0, ("tuple", "msg")
except AssertionError as e:
    print(e.args)
def check_positive(n):
    assert n > 0, "n must be positive, got %d" % n
    return n * 2
for v in [3, 0, -2, 5]:
    try:
        print(check_positive(v))
    except AssertionError as e:
        print("failed:", e)
x = [1, 2, 3]
assert len(x) == 3 and x[0] == 1
try:
    assert x == [1, 2], x
except AssertionError as e:
    print("value in message:", e)
class Obj:
    def __bool__(self):
        return False
try:
    assert Obj(), "custom falsy object"
except AssertionError as e:
    print(e)
print(isinstance(AssertionError(), Exception))
