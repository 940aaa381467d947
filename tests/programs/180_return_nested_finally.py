# return through nested try/finally, exceptions handled inside finally, try inside except
def f9():
    try:
        try:
            return "inner"
        finally:
            print("  inner finally")
    finally:
        print("  outer finally")
print(f9())
def f10():
    try:
        return 1
    finally:
        try:
            raise RuntimeError
        except RuntimeError:
            print("  exception handled inside finally")
print(f10())
def f11():
    try:
        1 / 0
    except ZeroDivisionError:
        try:
            return "from nested try in except"
        finally:
            print("  f11 nested finally")
print(f11())
