# Ends with a NameError from a misspelled name inside a function
def compute(values):
    total = 0
    for v in values:
        total += v
    print("total", total)
    return totl / len(values)
try:
    print(undefined_at_module)
except NameError as e:
    print("caught:", e)
def helper():
    return "helper works"
print(helper())
def uses_builtin(values):
    return len(values), max(values), sorted(values)
print(uses_builtin([3, 1, 2]))
print("helper" in globals(), "totl" in globals())
print(compute([1, 2, 3]))
print("not reached")
