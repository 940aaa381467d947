# Ends with an UnboundLocalError: assignment later in the function makes the name local
counter = 10
def read_only():
    return counter + 1
print(read_only())
def with_global():
    global counter
    counter += 1
    return counter
print(with_global(), with_global())
def conditional(flag):
    if flag:
        result = "set"
    return result
print(conditional(True))
def broken():
    print("before increment, global counter is", globals()["counter"])
    counter += 1
    return counter
broken()
print("not reached")
