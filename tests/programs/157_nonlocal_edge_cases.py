# nonlocal edge cases: multiple names, loops, nested defs, shadowing between levels
def swap_demo():
    a, b = 1, 2
    def swap():
        nonlocal a, b
        a, b = b, a
    swap()
    return a, b
print(swap_demo())
def loop_nonlocal():
    total = 0
    def add_all(items):
        nonlocal total
        for it in items:
            total += it
    add_all([1, 2, 3])
    add_all(range(10))
    return total
print(loop_nonlocal())
def skip_level():
    x = "outer"
    def middle():
        def inner():
            nonlocal x
            x = "changed by inner"
        inner()
        return x
    m = middle()
    return m, x
print(skip_level())
def shadow_levels():
    x = "level1"
    def level2():
        x = "level2"
        def level3():
            nonlocal x
            x = "level3 wrote level2"
        level3()
        return x
    return level2(), x
print(shadow_levels())
def nonlocal_in_except():
    status = "init"
    def run():
        nonlocal status
        try:
            1 / 0
        except ZeroDivisionError:
            status = "failed"
        else:
            status = "ok"
    run()
    return status
print(nonlocal_in_except())
def nonlocal_list_vs_rebind():
    items = []
    def append_only():
        items.append(1)
    def rebind():
        nonlocal items
        items = items + [2]
    append_only()
    old = items
    rebind()
    return old, items, old is items
print(nonlocal_list_vs_rebind())
