# while loops with else, break skipping else, complex conditions
n = 0
while n < 5:
    n += 1
else:
    print("while finished normally, n =", n)
n = 0
while n < 10:
    if n == 3:
        print("breaking at", n)
        break
    n += 1
else:
    print("not printed")
def find_factor(x):
    d = 2
    while d * d <= x:
        if x % d == 0:
            break
        d += 1
    else:
        return "%d is prime" % x
    return "%d has factor %d" % (x, d)
for x in [2, 9, 13, 91, 97, 100]:
    print(find_factor(x))
i = 10
while i:
    i -= 3 if i > 3 else 1
    print("i", i)
while False:
    print("never")
else:
    print("else of never-entered while")
a, b = 0, 1
fibs = []
while b < 200:
    fibs.append(b)
    a, b = b, a + b
print(fibs)
x = 27
steps = 0
while x != 1:
    x = x // 2 if x % 2 == 0 else 3 * x + 1
    steps += 1
print("collatz steps", steps)
count = 0
while True:
    count += 1
    if count % 7 == 0 and count % 5 == 0:
        break
print("first multiple of 35:", count)
stack = [1, [2, [3, 4]], 5]
flat = []
while stack:
    top = stack.pop()
    if isinstance(top, list):
        stack.extend(top)
    else:
        flat.append(top)
else:
    print("stack drained", flat)
k = 0
while k < 20:
    k += 1
    if k % 3:
        continue
    print("multiple of 3:", k)
