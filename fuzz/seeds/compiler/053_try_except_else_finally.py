# try/except/else/finally basics, exception matching, bare except, tuples
def attempt(x):
    try:
        r = 10 // x
    except ZeroDivisionError:
        print("  zero div")
        r = None
    except TypeError as e:
        print("  type error:", e)
        r = "bad"
    else:
        print("  else runs, r =", r)
    finally:
        print("  finally for", repr(x))
    return r
for v in [2, 0, "s", 5]:
    print(attempt(v))
def classify(exc):
    try:
        raise exc
    except (KeyError, IndexError) as e:
        return "lookup: " + type(e).__name__
    except ArithmeticError as e:
        return "arith: " + type(e).__name__
    except Exception as e:
        return "other: " + type(e).__name__
for exc in [KeyError("k"), IndexError(), OverflowError(), ZeroDivisionError(), ValueError(), RuntimeError()]:
    print(classify(exc))
try:
    [][1]
except:
    print("bare except caught")
try:
    raise ValueError
except ValueError as e:
    print("class raised:", type(e).__name__, e.args)
def names_cleared():
    e = "before"
    try:
        raise KeyError("x")
    except KeyError as e:
        pass
    try:
        return e
    except UnboundLocalError:
        return "e was deleted"
print(names_cleared())
try:
    try:
        raise ValueError("inner")
    finally:
        print("inner finally")
except ValueError as e:
    print("outer caught", e)
try:
    pass
except Exception:
    print("never")
else:
    print("else with no exception")
finally:
    print("finally always")
count = 0
for i in range(5):
    try:
        if i % 2:
            raise ValueError(i)
        count += 1
    except ValueError as e:
        count += 10
        print("odd", e)
print("count", count)
