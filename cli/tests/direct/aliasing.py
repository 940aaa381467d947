# Parallel and chained assignments where a value is read from a local that
# an earlier target stores.
def swap(a, b):
    a, b = b, a
    return a, b
def rotate(a, b, c):
    a, b, c = b, c, a
    return a, b, c
def mixed(xs, i):
    i, xs[i] = 1, 9
    return xs, i
def chain(v):
    x = y = v
    z = w = [v]
    w.append(1)
    return x, y, z
def nested(p):
    (a, b), c = p, p[0]
    return a, b, c
class Node:
    def __init__(self, v, n=None):
        self.v, self.next = v, n
def reverse(head):
    prev, cur = None, head
    while cur:
        cur.next, prev, cur = prev, cur, cur.next
    return prev
print(swap(1, 2), rotate(1, 2, 3), mixed([0, 0, 0], 2), chain(5), nested((1, 2)))
r = reverse(Node(1, Node(2, Node(3))))
out = []
while r:
    out.append(r.v)
    r = r.next
print(out)
def walrus(data):
    total = [x, (x := 10), x] if (x := len(data)) else None
    if (n := total[0]) > 2 and (m := n * 2):
        return n, m, total
    return total
print(walrus([1, 2, 3]), walrus([1]))
def unbound(flag):
    if flag:
        v = 1
    return [print("before"), v]
try:
    unbound(False)
except UnboundLocalError as e:
    print("UnboundLocalError:", e)
def deleted():
    x = 1
    del x
    return x
try:
    deleted()
except UnboundLocalError as e:
    print("UnboundLocalError:", e)
def aug(a):
    a += [1]
    b = 2
    b **= 3
    return a, b
print(aug([0]))
