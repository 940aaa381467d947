# Generator send(): coroutines, priming, running averages
def echo():
    received = None
    while True:
        received = yield received
        if received == "stop":
            return "stopped"
e = echo()
print(e.send(None))
print(e.send(1), e.send("two"), e.send([3]))
try:
    e.send("stop")
except StopIteration as ex:
    print("StopIteration", ex.value)
def averager():
    total = 0.0
    count = 0
    avg = None
    while True:
        value = yield avg
        total += value
        count += 1
        avg = total / count
a = averager()
next(a)
for v in [10, 20, 30, 5]:
    print(a.send(v))
def accumulate():
    items = []
    while True:
        item = yield len(items)
        if item is None:
            break
        items.append(item)
    yield items
acc = accumulate()
next(acc)
for w in ["x", "y", "z"]:
    print("count", acc.send(w))
print(acc.send(None))
g = echo()
try:
    g.send(5)
except TypeError as ex:
    print("TypeError:", ex)
def state_machine():
    state = "A"
    while True:
        cmd = yield state
        if state == "A" and cmd == "go":
            state = "B"
        elif state == "B" and cmd == "go":
            state = "C"
        elif cmd == "reset":
            state = "A"
sm = state_machine()
print(next(sm))
for cmd in ["go", "noop", "go", "go", "reset", "go"]:
    print(cmd, "->", sm.send(cmd))
def doubler():
    x = yield
    while True:
        x = yield x * 2
d = doubler()
next(d)
print([d.send(i) for i in range(5)])
