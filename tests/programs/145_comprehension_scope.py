# Comprehension scoping: own scope, first iterable evaluated in enclosing scope, class bodies
x = "module"
lst = [x for x in range(3)]
print(lst, x)
def f():
    y = 10
    return [y + i for i in range(3)], {i: y for i in range(2)}, {y * i for i in range(2)}
print(f())
class C:
    n = 3
    items = [i * 2 for i in range(n)]
    try:
        bad = [n for i in range(2)]
    except NameError as e:
        err = str(e)
print(C.items, C.err)
def nested():
    return [[(i, j) for j in range(i)] for i in range(3)]
print(nested())
def closure_in_comp():
    fs = [lambda: i for i in range(3)]
    gs = [(lambda i=i: i) for i in range(3)]
    return [f() for f in fs], [g() for g in gs]
print(closure_in_comp())
def first_iter_eval():
    data = [1, 2, 3]
    g = (d * 2 for d in data)
    data = [100]
    return list(g)
print(first_iter_eval())
def shadow_param(i):
    r = [i for i in range(i)]
    return r, i
print(shadow_param(4))
def comp_uses_enclosing_later():
    g = (k + offset for k in range(3))
    offset = 100
    return list(g)
print(comp_uses_enclosing_later())
def nonlocal_from_comp():
    total = 0
    def add(v):
        nonlocal total
        total += v
        return total
    running = [add(v) for v in range(5)]
    return running, total
print(nonlocal_from_comp())
print([[y for y in range(x)] for x in range(4)])
z = 5
print([z for _ in range(2)], {z: z for _ in range(1)})
def gen_scope():
    results = []
    for outer in range(2):
        results.append(list(outer * 10 + inner for inner in range(3)))
    return results
print(gen_scope())
