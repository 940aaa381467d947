# More nonlocal/closure cases: reset counters, del of a nonlocal, generators and classes using cells
def counter_with_reset():
    n = 0
    def inc(step=1):
        nonlocal n
        n += step
        return n
    def reset():
        nonlocal n
        old, n = n, 0
        return old
    return inc, reset
inc, reset = counter_with_reset()
print(inc(), inc(5), reset(), inc(), reset(), reset())
def del_nonlocal():
    v = 1
    def killer():
        nonlocal v
        del v
    killer()
    try:
        return v
    except NameError as e:
        return type(e).__name__ + ": " + str(e)
print(del_nonlocal())
def gen_nonlocal():
    state = 0
    def g():
        nonlocal state
        while state < 3:
            state += 1
            yield state
    return list(g()), state
print(gen_nonlocal())
def class_in_closure():
    secret = 42
    class Holder:
        def reveal(self):
            return secret
    def change():
        nonlocal secret
        secret = 7
    h = Holder()
    a = h.reveal()
    change()
    return a, h.reveal()
print(class_in_closure())
