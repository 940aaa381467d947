# str.format(): positional, keyword, index, attribute, nested fields
print("{} {} {}".format(1, "two", 3.0))
print("{0} {1} {0}".format("a", "b"))
print("{name} is {age}".format(name="Bo", age=3))
print("{0[0]} {0[1]} {1[key]}".format([10, 20], {"key": "val"}))
class P:
    x = 5
    y = "why"
print("{0.x} {0.y} {p.x}".format(P(), p=P()))
print("{:>8} {:<8} {:^8}|".format("r", "l", "c"))
print("{:{w}.{p}f}|".format(3.14159, w=10, p=3))
print("{0:{1}}|{0:{2}}|".format(42, ">6", "<6"))
print("{!r} {!s} {!a}".format("x", "y", "\xe9"))
print("{{}} {{{}}}".format(7))
print("{:,} {:_} {:#x} {:08.3f} {:+d}".format(1234567, 7654321, 255, 2.5, 5))
print("{:.2%} {:e} {:g}".format(0.4567, 0.00012, 1e-7))
args = ["x", "y", "z"]
print("-".join("{}{}".format(a, i) for i, a in enumerate(args)))
print("{a}{b}{a}".format(**{"a": "<", "b": "mid"}))
print("{0}{1}{2}".format(*"xyz"))
table = [("apple", 1.5, 10), ("kiwi", 0.25, 200), ("watermelon", 3.0, 1)]
print("{:<12}{:>8}{:>6}".format("item", "price", "qty"))
for name, price, qty in table:
    print("{:<12}{:>8.2f}{:>6d}".format(name, price, qty))
print("{:*^30}".format(" centered "))
try:
    "{} {}".format(1)
except IndexError as e:
    print("IndexError:", e)
try:
    "{missing}".format()
except KeyError as e:
    print("KeyError:", e)
try:
    "{0} {}".format(1, 2)
except ValueError as e:
    print("ValueError:", e)
print("{0:b} {0:o} {0:x} {0:X} {0:c}".format(65))
print(format(0.1, ".20f"), format(1 / 7, ".15g"), format(-1234.5, "015,.2f"))
print("{:>{}}".format("nest", 7), "{:.{}}".format("truncate", 3))
print("{0!r:>10}|{1!s:<5}|".format("r", 5))
print(str.format("{} via unbound", "call"))
