# INPLACE_* operators on ints, floats, strings, lists, and with __iadd__
x = 10
x += 5; print(x)
x -= 3; print(x)
x *= 4; print(x)
x //= 5; print(x)
x %= 7; print(x)
x **= 3; print(x)
x /= 4; print(x)
y = 0b1111
y &= 0b1010; print(y)
y |= 0b0101; print(y)
y ^= 0b0011; print(y)
y <<= 3; print(y)
y >>= 2; print(y)
f = 1.5
f += 1; print(f)
f *= 2.5; print(f)
f -= 0.25; print(f)
f /= 2; print(f)
f //= 1; print(f)
f %= 3; print(f)
f **= 2; print(f)
s = "ab"
s += "cd"; print(s)
s *= 3; print(s)
l = [1]
l2 = l
l += [2, 3]; print(l, l2, l is l2)
l *= 2; print(l, l2)
t = (1,)
t2 = t
t += (2,); print(t, t2, t is t2)
class Acc:
    def __init__(self):
        self.items = []
    def __iadd__(self, other):
        self.items.append(other)
        return self
    def __isub__(self, other):
        self.items.remove(other)
        return self
acc = Acc()
acc += 1
acc += 2
acc += 3
acc -= 2
print(acc.items)
class Plain:
    def __init__(self, v):
        self.v = v
    def __add__(self, o):
        return Plain(self.v + o)
p = Plain(1)
q = p
p += 10
print(p.v, q.v, p is q)
d = {"k": 1}
d["k"] += 5
d["k"] *= 2
print(d)
arr = [1, 2, 3]
for i in range(len(arr)):
    arr[i] **= 2
print(arr)
