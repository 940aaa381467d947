# return, break and continue through try/finally, with and handlers.
log = []
class CM:
    def __init__(self, name, swallow=False):
        self.name, self.swallow = name, swallow
    def __enter__(self):
        log.append("enter " + self.name)
        return self
    def __exit__(self, t, v, tb):
        log.append("exit %s %s" % (self.name, t.__name__ if t else None))
        return self.swallow
def f(x):
    try:
        return x
    finally:
        x = "changed"
        log.append("finally")
def g():
    for i in range(5):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            log.append(i)
        finally:
            log.append("f%d" % i)
    return i
def h():
    with CM("a"), CM("b", swallow=True):
        raise KeyError("k")
    with CM("c"):
        return "from with"
def k():
    try:
        raise ValueError("v")
    except ValueError as e:
        return e
def m():
    try:
        1 / 0
    except ZeroDivisionError:
        try:
            raise TypeError("inner")
        except TypeError as t:
            log.append(repr(t))
        log.append("after inner")
    log.append("after outer")
def n():
    try:
        try:
            raise KeyError(1)
        finally:
            log.append("inner finally")
    except KeyError as e:
        log.append("caught %r" % (e,))
    else:
        log.append("no")
    finally:
        log.append("outer finally")
print(f(1), g(), h(), repr(k()), m(), n())
print(log)
def gen():
    try:
        yield 1
        yield 2
    finally:
        log.append("gen closed")
x = gen()
print(next(x))
x.close()
print(log[-1])
def deep(n):
    if n == 0:
        raise RuntimeError("deep")
    return deep(n - 1)
deep(3)
