# return inside try/except/finally; finally overriding return and swallowing exceptions
def f1():
    try:
        return "try"
    finally:
        print("  f1 finally")
print(f1())
def f2():
    try:
        return "try"
    finally:
        return "finally"
print(f2())
def f3():
    try:
        raise ValueError("swallowed")
    finally:
        return "finally wins over exception"
print(f3())
def f4():
    try:
        raise KeyError("k")
    except KeyError:
        return "except"
    finally:
        print("  f4 finally")
print(f4())
def f5():
    x = 1
    try:
        return x
    finally:
        x = 2
        print("  f5 changed x to", x)
print(f5())
def f6():
    lst = [1]
    try:
        return lst
    finally:
        lst.append(2)
print(f6())
def f7(n):
    try:
        if n < 0:
            raise ValueError("neg")
        return "ok %d" % n
    except ValueError as e:
        return "err %s" % e
    else:
        return "else never reached after return"
    finally:
        print("  f7 finally", n)
print(f7(1), f7(-1))
def f8():
    for i in range(3):
        try:
            if i == 1:
                return "returned at %d" % i
        finally:
            print("  f8 finally", i)
print(f8())
