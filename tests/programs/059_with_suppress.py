# with-statement exception suppression via __exit__ returning True
class Suppress:
    def __init__(self, *types):
        self.types = types
        self.caught = None
    def __enter__(self):
        return self
    def __exit__(self, et, ev, tb):
        if et is not None and issubclass(et, self.types):
            self.caught = ev
            print("  suppressed", et.__name__, ev)
            return True
        return False
with Suppress(KeyError) as s:
    {}["missing"]
    print("not reached")
print("after with, caught:", repr(s.caught))
with Suppress(ValueError, TypeError):
    int("x")
try:
    with Suppress(KeyError):
        [][5]
except IndexError as e:
    print("IndexError escaped:", e)
def func():
    with Suppress(ZeroDivisionError):
        return 1 / 0
    return "fell through after suppression"
print(func())
for i in range(4):
    with Suppress(ValueError):
        if i % 2:
            raise ValueError(i)
        print("even", i)
class Transaction:
    def __init__(self, log):
        self.log = log
    def __enter__(self):
        self.log.append("begin")
        return self
    def __exit__(self, et, ev, tb):
        self.log.append("rollback" if et else "commit")
        return et is RuntimeError
log = []
with Transaction(log):
    log.append("work1")
with Transaction(log):
    log.append("work2")
    raise RuntimeError("fail")
try:
    with Transaction(log):
        raise ValueError("not suppressed")
except ValueError:
    log.append("outer caught")
print(log)
with Suppress(Exception):
    with Suppress(KeyError):
        raise TypeError("inner not matching")
print("nested suppress done")
class Truthy:
    def __enter__(self):
        pass
    def __exit__(self, *a):
        return "non-empty string is truthy"
with Truthy():
    raise OSError("swallowed by truthy return")
print("survived")
