# Ends with an exception raised while handling another: traceback shows both
# joined by "During handling of the above exception, another exception occurred:"
def convert(values):
    out = []
    for v in values:
        out.append(int(v))
    return out
def safe_convert(values):
    try:
        return convert(values)
    except ValueError:
        print("conversion failed, logging error")
        log = {}
        return log["fallback"]
print(safe_convert(["1", "2", "3"]))
try:
    print(safe_convert(["x"]))
except KeyError as e:
    print("caught KeyError", e, "with context", repr(e.__context__))
print(safe_convert(["4", "five", "6"]))
print("not reached")
