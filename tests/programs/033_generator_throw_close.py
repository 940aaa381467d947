# Generator throw() and close(), GeneratorExit, finally in generators
def g1():
    try:
        yield 1
        yield 2
    except ValueError as e:
        print("  caught in gen:", e)
        yield "recovered"
    yield "after"
g = g1()
print(next(g))
print(g.throw(ValueError("boom")))
print(next(g))
print(list(g))
def g2():
    try:
        yield 1
    finally:
        print("  g2 cleanup")
g = g2()
next(g)
g.close()
print("closed")
g.close()
print("closed twice ok")
def g3():
    try:
        yield 1
    except GeneratorExit:
        print("  got GeneratorExit")
        raise
g = g3()
next(g)
g.close()
def g4():
    try:
        yield 1
    except GeneratorExit:
        yield "bad"
g = g4()
next(g)
try:
    g.close()
except RuntimeError as e:
    print("RuntimeError:", e)
def g5():
    yield 1
    yield 2
g = g5()
next(g)
try:
    g.throw(KeyError("k"))
except KeyError as e:
    print("propagated KeyError", e)
print(next(g, "exhausted"))
g = g5()
try:
    g.throw(TypeError, "unstarted")
except TypeError as e:
    print("unstarted throw:", e)
print(list(g))
def g6():
    n = 0
    while True:
        try:
            yield n
        except ArithmeticError:
            n = -100
        n += 1
g = g6()
print(next(g), next(g), g.throw(ZeroDivisionError), next(g))
g.close()
print(next(g, "closed gen exhausted"))
def g7():
    return 5
    yield
g = g7()
g.close()
print(list(g))
