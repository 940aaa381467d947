# Ordering of finally blocks across function calls, generators, with, and loops
log = []
def a():
    try:
        log.append("a-try")
        b()
    finally:
        log.append("a-finally")
def b():
    try:
        log.append("b-try")
        c()
    finally:
        log.append("b-finally")
def c():
    try:
        log.append("c-try")
        raise ValueError("deep")
    finally:
        log.append("c-finally")
try:
    a()
except ValueError as e:
    log.append("caught " + str(e))
print(log)
log.clear()
class CM:
    def __init__(self, n):
        self.n = n
    def __enter__(self): log.append("enter" + self.n)
    def __exit__(self, *a): log.append("exit" + self.n)
def mixed():
    with CM("1"):
        try:
            with CM("2"):
                try:
                    return "value"
                finally:
                    log.append("inner-finally")
        finally:
            log.append("outer-finally")
print(mixed(), log)
log.clear()
def gen():
    try:
        for i in range(3):
            try:
                yield i
            finally:
                log.append("gen-inner-%d" % i)
    finally:
        log.append("gen-outer")
g = gen()
for v in g:
    log.append("got %d" % v)
    if v == 1:
        break
log.append("after break")
g.close()
print(log)
log.clear()
g = gen()
next(g)
g.close(); g.close()
print(log, next(g, "exhausted"))
log.clear()
def nested_loops():
    for i in range(2):
        try:
            for j in range(2):
                try:
                    if j == 1:
                        break
                    log.append("body %d%d" % (i, j))
                finally:
                    log.append("fin-j%d" % j)
        finally:
            log.append("fin-i%d" % i)
nested_loops()
print(log)
