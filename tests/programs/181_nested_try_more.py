# Exceptions raised inside handlers and nested try/except/else in a loop
def handler_raises():
    try:
        {}["missing"]
    except KeyError:
        try:
            [][0]
        except IndexError as inner:
            return "inner handled: %s, context %r" % (type(inner).__name__, inner.__context__)
print(handler_raises())
for i in range(3):
    try:
        try:
            if i == 0:
                raise ValueError
            if i == 1:
                raise TypeError
        except ValueError:
            print(i, "inner ValueError")
    except TypeError:
        print(i, "outer TypeError")
    else:
        print(i, "outer else")
