# Closures three levels deep with nonlocal, LOAD_CLOSURE/LOAD_DEREF/STORE_DEREF
def level1():
    a = 1
    def level2():
        b = 10
        def level3():
            nonlocal a, b
            a += 1
            b += 100
            return a, b
        r1 = level3()
        r2 = level3()
        return r1, r2, b
    result = level2()
    return result, a
print(level1())
def make_acc(start):
    total = start
    def adder(step):
        def apply(times):
            nonlocal total
            for _ in range(times):
                total += step
            return total
        return apply
    def get():
        return total
    return adder, get
adder, get = make_acc(100)
add5 = adder(5)
print(add5(2), add5(1), adder(-1)(3), get())
def outer(x):
    def middle(y):
        def inner(z):
            return x * 100 + y * 10 + z
        return inner
    return middle
print(outer(1)(2)(3), outer(4)(5)(6))
m = outer(7)
i1, i2 = m(1), m(2)
print(i1(0), i2(9))
def counter_factory():
    count = 0
    def make():
        def inc():
            nonlocal count
            count += 1
            return count
        return inc
    return make
make = counter_factory()
ia, ib = make(), make()
print(ia(), ia(), ib(), ia())
def late_binding():
    fns = []
    for i in range(3):
        def f():
            return i
        fns.append(f)
    return [f() for f in fns]
print(late_binding())
def cell_after_def():
    def get():
        return v
    v = "assigned later"
    return get()
print(cell_after_def())
def deep_counter():
    n = 0
    def a():
        def b():
            def c():
                nonlocal n
                n += 1
                return n
            return c()
        return b()
    return [a() for _ in range(4)]
print(deep_counter())
print(outer.__code__.co_cellvars, outer(1).__code__.co_freevars, outer(1)(2).__code__.co_freevars)
