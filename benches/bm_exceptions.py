# Exceptions in loops: try/except/finally, raised and caught frequently,
# custom exception classes, re-raise, nested handlers.
N = 400000


class AppError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code = code


class NotFound(AppError):
    pass


class Invalid(AppError):
    pass


def lookup(d, k):
    try:
        return d[k]
    except KeyError:
        raise NotFound(404, "missing %d" % k)


def validate(x):
    if x % 7 == 0:
        raise Invalid(400, "bad %d" % x)
    if x % 11 == 0:
        raise ValueError(x)
    return x


def parse(s):
    try:
        return int(s)
    except ValueError:
        return -1


def work(n):
    d = {i: i * 2 for i in range(0, n, 3)}
    ok = 0
    nf = 0
    inv = 0
    val = 0
    fin = 0
    codes = 0
    for i in range(n):
        try:
            v = lookup(d, i)
            validate(v + 1)
            ok += 1
        except NotFound as e:
            nf += 1
            codes += e.code
        except Invalid as e:
            inv += 1
            codes += e.code
        except ValueError as e:
            val += e.args[0] % 13
        finally:
            fin += 1
    return ok, nf, inv, val, fin, codes


def nested(n):
    r = 0
    for i in range(n):
        try:
            try:
                if i % 2:
                    raise IndexError(i)
                r += 1
            except IndexError:
                if i % 3 == 0:
                    raise
                r += 2
            finally:
                r += 3
        except IndexError as e:
            r += len(str(e))
    return r


def builtin_errors(n):
    items = [1, 2, 3]
    z = 0
    for i in range(n):
        try:
            z += items[i % 5]
        except IndexError:
            z -= 1
        try:
            z += 10 // (i % 4)
        except ZeroDivisionError:
            z += 100
        z += parse("1%d" % i if i % 2 else "x%d" % i)
    return z


def loop_control(n):
    out = 0
    for i in range(n):
        try:
            if i % 5 == 0:
                continue
            if i % 1000 == 999:
                break
            out += i
        finally:
            out += 1
    return out


def main(n):
    print("work %r" % (work(n),))
    print("nested %d builtin %d control %d" % (nested(n), builtin_errors(n // 2), loop_control(n)))


main(N)
