# CALL_FUNCTION, CALL_FUNCTION_KW, CALL_FUNCTION_EX with *args/**kwargs
def show(*args, **kwargs):
    print("args=", args, "kwargs=", sorted(kwargs.items()))
show()
show(1, 2, 3)
show(a=1, b=2)
show(1, 2, x=3)
t = (4, 5)
d = {"y": 6, "z": 7}
show(*t)
show(**d)
show(*t, **d)
show(0, *t, 9, *[10], w=1, **d)
def fixed(a, b, c):
    return a * 100 + b * 10 + c
print(fixed(1, 2, 3), fixed(c=3, b=2, a=1), fixed(1, c=3, b=2))
print(fixed(*[1, 2, 3]), fixed(*(1, 2), 3), fixed(1, *[2], **{"c": 3}))
print(fixed(**{"a": 9, "b": 8, "c": 7}))
try:
    fixed(1, 2)
except TypeError as e:
    print("TypeError:", e)
try:
    fixed(1, 2, 3, 4)
except TypeError as e:
    print("TypeError:", e)
try:
    fixed(1, 2, a=3)
except TypeError as e:
    print("TypeError:", e)
try:
    fixed(1, 2, d=3)
except TypeError as e:
    print("TypeError:", e)
def varargs(first, *rest):
    return first, rest
print(varargs(1), varargs(1, 2, 3), varargs(*"abc"))
def kwonly(a, *, flag=False, **others):
    return a, flag, sorted(others)
print(kwonly(1), kwonly(1, flag=True), kwonly(1, extra=2, flag=1))
def forward(*args, **kwargs):
    return fixed(*args, **kwargs)
print(forward(1, 2, 3), forward(3, c=1, b=2))
print(max(*[3, 9, 2]), min(4, *(1, 8)), print("inner", sep=""))
print("a", "b", "c", sep="-", end="!\n")
def gen_args():
    yield 1
    yield 2
    yield 3
print(fixed(*gen_args()))
class C:
    def m(self, *a, **k):
        return len(a), len(k)
c = C()
print(c.m(), c.m(1, 2), c.m(*range(5), **{"q": 1}), C.m(c, 1, k=2))
