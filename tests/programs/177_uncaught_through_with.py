# Ends with an exception that propagates through a context manager that does not suppress it
class Resource:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print("open", self.name)
        return self
    def __exit__(self, et, ev, tb):
        print("close", self.name, "due to", et.__name__ if et else "normal exit")
        return False
def process(items):
    with Resource("db") as db:
        with Resource("cache"):
            for it in items:
                print("processing", it, "in", db.name)
                if it == "poison":
                    raise LookupError("cannot process %r" % it)
process(["a", "b"])
process(["c", "poison", "d"])
print("not reached")
