# Sibling closures sharing the same cell
def make_pair():
    value = 0
    def get():
        return value
    def set_(v):
        nonlocal value
        value = v
    def inc():
        nonlocal value
        value += 1
    return get, set_, inc
get, set_, inc = make_pair()
print(get())
set_(10)
print(get())
inc(); inc()
print(get())
g2, s2, i2 = make_pair()
s2(-5)
print(get(), g2())
print(get.__closure__[0] is set_.__closure__[0], get.__closure__[0] is g2.__closure__[0])
print(get.__closure__[0].cell_contents)
def bank(balance):
    log = []
    def deposit(amt):
        nonlocal balance
        balance += amt
        log.append(("dep", amt))
        return balance
    def withdraw(amt):
        nonlocal balance
        if amt > balance:
            log.append(("fail", amt))
            return None
        balance -= amt
        log.append(("wd", amt))
        return balance
    def history():
        return list(log), balance
    return deposit, withdraw, history
dep, wd, hist = bank(100)
print(dep(50), wd(30), wd(500), dep(5))
print(hist())
def loop_cells():
    fs = []
    for i in range(3):
        def mk(j):
            def show():
                return j
            def bump():
                nonlocal j
                j += 100
            return show, bump
        fs.append(mk(i))
    fs[1][1]()
    return [s() for s, b in fs]
print(loop_cells())
def shared_through_levels():
    x = "orig"
    def writer():
        def deep():
            nonlocal x
            x = "written by deep"
        deep()
    def reader():
        return x
    before = reader()
    writer()
    return before, reader()
print(shared_through_levels())
