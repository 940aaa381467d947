# STORE_GLOBAL, LOAD_GLOBAL, DELETE_GLOBAL, nonlocal, DELETE_FAST, DELETE_NAME
counter = 0
def bump():
    global counter
    counter += 1
    return counter
for _ in range(5):
    bump()
print(counter)
def make_global():
    global created
    created = "I was created in a function"
make_global()
print(created)
def remove_global():
    global created
    del created
remove_global()
print("created" in globals())
def outer():
    x = 1
    def inner():
        nonlocal x
        x += 10
        return x
    inner()
    inner()
    return x
print(outer())
def local_del():
    a = 5
    b = a * 2
    del a
    try:
        print(a)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    return b
print(local_del())
tmp = 99
del tmp
try:
    print(tmp)
except NameError as e:
    print("NameError:", e)
x = "module"
def shadow():
    x = "local"
    return x
print(shadow(), x)
def read_global():
    return x + "!"
print(read_global())
def global_in_loop():
    global total
    total = 0
    for i in range(10):
        total += i
global_in_loop()
print(total)
def nl_outer():
    a = []
    n = 0
    def add(v):
        nonlocal n
        a.append(v)
        n += v
    for i in range(4):
        add(i)
    return a, n
print(nl_outer())
