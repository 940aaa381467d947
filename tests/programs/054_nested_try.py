# Nested try statements, re-raise, raise in except/finally, exception in handlers
def level3():
    raise KeyError("deep")
def level2():
    try:
        level3()
    except KeyError:
        print("  level2 caught, re-raising")
        raise
    finally:
        print("  level2 finally")
def level1():
    try:
        level2()
    except LookupError as e:
        print("  level1 caught", type(e).__name__, e)
        return "handled"
    finally:
        print("  level1 finally")
print(level1())
try:
    try:
        raise ValueError("first")
    except ValueError:
        raise TypeError("second")
except TypeError as e:
    print("got", type(e).__name__, e, "context:", repr(e.__context__))
try:
    try:
        raise ValueError("orig")
    finally:
        print("finally runs before propagation")
except ValueError as e:
    print("propagated", e)
try:
    try:
        raise ValueError("lost")
    finally:
        raise RuntimeError("from finally")
except RuntimeError as e:
    print(e, "context:", repr(e.__context__))
def deep_nesting():
    out = []
    try:
        out.append(1)
        try:
            out.append(2)
            try:
                out.append(3)
                raise IndexError
            except KeyError:
                out.append("wrong")
            finally:
                out.append(4)
        except IndexError:
            out.append(5)
            try:
                raise ZeroDivisionError
            except ZeroDivisionError:
                out.append(6)
        else:
            out.append("no-else")
        finally:
            out.append(7)
    finally:
        out.append(8)
    return out
print(deep_nesting())
