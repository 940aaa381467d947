# STORE_SUBSCR and DELETE_SUBSCR with slices
l = list(range(10))
l[2:5] = ["a", "b"]
print(l)
l[:0] = [-2, -1]
print(l)
l[len(l):] = [100, 101]
print(l)
l[::2] = "x" * ((len(l) + 1) // 2)
print(l)
del l[::3]
print(l)
del l[1:3]
print(l)
del l[:]
print(l)
m = list(range(8))
m[1:7:2] = [10, 30, 50]
print(m)
m[::-1] = list(range(8))
print(m)
try:
    m[::2] = [1, 2]
except ValueError as e:
    print("ValueError:", e)
m[2:6] = []
print(m)
m[1:1] = [7, 7, 7]
print(m)
n = [1, 2, 3, 4, 5]
n[1:4] = (x * 10 for x in range(5))
print(n)
del n[-2:]
print(n)
del n[100:200]
print(n)
class Rec:
    def __setitem__(self, k, v):
        print("setitem", k.start, k.stop, k.step, v)
    def __delitem__(self, k):
        print("delitem", k.start, k.stop, k.step)
r = Rec()
r[1:2] = "v"
r[::3] = [1]
del r[:5]
del r[2:8:2]
ba = bytearray(b"hello world")
ba[0:5] = b"HELLO"
del ba[5:6]
print(ba)
