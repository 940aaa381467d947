# Helper module imported by the import programs (not a program itself)
print("helper_mod executing, __name__ =", __name__)
CONSTANT = 42
_private = "hidden"
counter = 0
def greet(name):
    return "Hello, %s!" % name
def bump():
    global counter
    counter += 1
    return counter
class Shape:
    def __init__(self, sides):
        self.sides = sides
    def describe(self):
        return "shape with %d sides" % self.sides
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
__all__ = ["CONSTANT", "greet", "Shape", "fib"]
