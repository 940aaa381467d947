# Conditional expressions, nested ternaries, if/elif/else chains
def sign(x):
    return "neg" if x < 0 else "zero" if x == 0 else "pos"
print([sign(v) for v in (-5, 0, 3)])
def grade(score):
    if score >= 90:
        return "A"
    elif score >= 80:
        return "B"
    elif score >= 70:
        return "C"
    elif score >= 60:
        return "D"
    else:
        return "F"
print([grade(s) for s in (95, 85, 75, 65, 55, 90, 89.9)])
def fizzbuzz(n):
    return "FizzBuzz" if n % 15 == 0 else "Fizz" if n % 3 == 0 else "Buzz" if n % 5 == 0 else str(n)
print(" ".join(fizzbuzz(i) for i in range(1, 31)))
x = 7
y = (x * 2) if x > 5 else (x / 2)
print(y, (lambda v: "odd" if v % 2 else "even")(x))
evaluated = []
def side(v):
    evaluated.append(v)
    return v
r = side("a") if side(True) else side("b")
print(r, evaluated)
evaluated.clear()
r = side("a") if side(0) else side("b")
print(r, evaluated)
for v in [[], [0], "", "x", 0.0, None, {}]:
    if v:
        print(repr(v), "truthy")
    else:
        print(repr(v), "falsy")
def classify(n):
    kind = []
    if n % 2 == 0:
        kind.append("even")
    if n % 3 == 0:
        kind.append("div3")
    if n > 10:
        if n > 100:
            kind.append("huge")
        else:
            kind.append("big")
    elif n < 0:
        kind.append("negative")
    return kind or ["plain"]
for n in [1, 2, 6, 12, 150, -9, 7]:
    print(n, classify(n))
print([("hi" if i % 2 else "lo") + str(i) for i in range(5)])
print(max(3, 4) if True else min(3, 4), {True: "yes", False: "no"}[3 > 2])
