# LEGB scope resolution: local, enclosing, global, builtin; shadowing builtins
x = "global x"
def outer():
    x = "enclosing x"
    def inner():
        return x
    return inner()
print(outer())
def local_shadow():
    x = "local x"
    return x
print(local_shadow(), x)
def read_global_only():
    return x
print(read_global_only())
len_calls = []
def len(obj):
    len_calls.append(obj)
    return -1
print(len("abc"), len_calls)
del len
print(len("abc"))
def uses_builtin():
    return max([1, 5, 2])
print(uses_builtin())
max = lambda *a: "shadowed max"
print(uses_builtin())
del max
print(uses_builtin())
def class_scope():
    y = "function y"
    class C:
        y = "class y"
        z = y + "!"
        def method(self):
            return y
        items = [y for _ in range(1)]
    return C.z, C().method(), C.items
print(class_scope())
def comprehension_scope():
    i = "outer i"
    squares = [i * i for i in range(3)]
    return i, squares
print(comprehension_scope())
def nested_global():
    def setter():
        global x
        x = "set by nested"
    setter()
    return x
print(nested_global(), x)
def param_shadow(x):
    return x
print(param_shadow("param x"))
def loop_var_leak():
    for k in range(3):
        pass
    return k
print(loop_var_leak())
def except_var_cleared():
    try:
        1 / 0
    except ZeroDivisionError as err:
        kept = err
    return "err" in locals(), type(kept).__name__
print(except_var_cleared())
print(sorted(k for k in locals() if k in ("x", "outer", "__name__")))
