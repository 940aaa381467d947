# break and continue inside try/except/finally, finally in loops
out = []
for i in range(5):
    try:
        if i == 1:
            continue
        if i == 3:
            break
        out.append(i)
    finally:
        out.append("f%d" % i)
print(out)
out = []
for i in range(4):
    try:
        raise ValueError(i)
    except ValueError:
        if i == 2:
            break
        continue
    finally:
        out.append(i)
print(out)
def break_in_finally():
    for i in range(3):
        try:
            raise KeyError(i)
        finally:
            break
    return "exception discarded by break, i=%d" % i
print(break_in_finally())
def continue_in_finally():
    log = []
    for i in range(3):
        try:
            if i == 1:
                raise ValueError
            log.append(i)
        finally:
            log.append("fin")
            continue
    return log
print(continue_in_finally())
def return_over_break():
    while True:
        try:
            break
        finally:
            return "finally return beats break"
print(return_over_break())
i = 0
log = []
while i < 6:
    i += 1
    try:
        try:
            if i % 2 == 0:
                continue
            if i == 5:
                break
            log.append(i)
        finally:
            log.append("inner%d" % i)
    finally:
        log.append("outer%d" % i)
print(log)
