# for loops with else, over many iterable types, loop variable after loop
for i in range(3):
    print("i =", i)
else:
    print("for-else ran, i =", i)
for c in "abc":
    if c == "b":
        print("found b")
        break
else:
    print("not printed")
for x in []:
    print("never")
else:
    print("else of empty loop")
def search(items, target):
    for idx, item in enumerate(items):
        if item == target:
            return "found at %d" % idx
    else:
        return "not found"
print(search([4, 5, 6], 5), search([4, 5, 6], 7))
primes = []
for n in range(2, 50):
    for p in primes:
        if n % p == 0:
            break
    else:
        primes.append(n)
print(primes)
for k in {"x": 1, "y": 2}:
    print("dict key", k)
for k, v in {"x": 1, "y": 2}.items():
    print("item", k, v)
for t in (1, "two", 3.0):
    print("tuple elem", repr(t))
for b in b"AB":
    print("byte", b)
for i in range(10, 0, -3):
    print("down", i)
for x in range(3):
    pass
print("after loop x =", x)
for _ in range(2):
    for __ in range(2):
        pass
    else:
        print("inner else")
else:
    print("outer else")
lst = [1, 2, 3]
for item in lst:
    if item == 2:
        lst.append(99)
    if len(lst) > 5:
        break
print(lst)
total = 0
for i, (a, b) in enumerate(zip("abc", range(3))):
    total += i * b
print(total)
for n in range(3):
    if n == 5:
        break
else:
    print("no break occurred")
