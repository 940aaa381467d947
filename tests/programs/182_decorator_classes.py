# Class-based decorators, decorator application order, descriptors acting as methods
class Deco:
    def __init__(self, fn):
        self.fn = fn
    def __call__(self, *a):
        return ("Deco", self.fn(*a))
@Deco
def mult(a, b):
    return a * b
print(mult(6, 7), type(mult).__name__)
def deco_order(tag):
    print("  applying", tag)
    return lambda fn: fn
@deco_order("outer")
@deco_order("inner")
def f():
    return "f"
print(f())
class Method:
    def __init__(self, fn):
        self.fn = fn
    def __get__(self, obj, objtype=None):
        return lambda *a: self.fn(obj, *a)
class Calc:
    base = 100
    @Method
    def add(self, x):
        return self.base + x
print(Calc().add(5))
