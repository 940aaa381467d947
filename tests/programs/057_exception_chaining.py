# Implicit exception chaining: __context__, __cause__, __suppress_context__
def show(e):
    print(type(e).__name__, e.args,
          "cause:", repr(e.__cause__),
          "context:", repr(e.__context__),
          "suppress:", e.__suppress_context__)
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("while handling")
except ValueError as e:
    show(e)
    show(e.__context__)
try:
    try:
        {}["k"]
    except KeyError as k:
        raise RuntimeError("explicit") from k
except RuntimeError as e:
    show(e)
    print(e.__cause__ is e.__context__)
try:
    try:
        [][0]
    except IndexError:
        raise TypeError("no context") from None
except TypeError as e:
    show(e)
try:
    try:
        try:
            raise OSError("A")
        except OSError:
            raise KeyError("B")
    except KeyError:
        raise ValueError("C")
except ValueError as e:
    chain = []
    cur = e
    while cur is not None:
        chain.append(type(cur).__name__ + ":" + str(cur.args[0]))
        cur = cur.__context__
    print(" <- ".join(chain))
e1 = ValueError("manual")
e2 = TypeError("cause")
e1.__cause__ = e2
print(e1.__cause__ is e2, e1.__suppress_context__)
try:
    raise e1
except ValueError as e:
    print(e.__cause__, e.__suppress_context__)
def gen_ctx():
    try:
        raise KeyError("in gen")
    except KeyError:
        yield "yielded inside except"
        raise ValueError("after yield")
g = gen_ctx()
print(next(g))
try:
    next(g)
except ValueError as e:
    show(e)
try:
    try:
        raise ValueError("same")
    except ValueError as e:
        raise e
except ValueError as e2:
    print("re-raise same object; context is None:", e2.__context__ is None)
print(isinstance(ZeroDivisionError(), ArithmeticError), ZeroDivisionError.__mro__[1].__name__)
