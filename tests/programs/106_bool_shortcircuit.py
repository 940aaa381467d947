# and/or short-circuit, return values of and/or, JUMP_IF_*_OR_POP
log = []
def t(v):
    log.append(v)
    return v
print(1 and 2, 0 and 2, 1 or 2, 0 or 2, None or "x", "" or [] or 0)
print([] and undefined_name_never_evaluated if False else "skipped")
log.clear()
r = t(0) and t(1)
print(r, log)
log.clear()
r = t(1) and t(0) and t(2)
print(r, log)
log.clear()
r = t(0) or t("") or t("found") or t("never")
print(r, log)
log.clear()
r = (t(1) and t(0)) or (t(2) and t(3))
print(r, log)
log.clear()
r = t(0) or t(1) and t(2)
print(r, log)
log.clear()
r = not t(0) and t(5)
print(r, log)
d = {}
name = d.get("name") or "anonymous"
print(name)
x = None
y = x and x.attr
print(y)
vals = [0, 1, "", "a", None, [], [0]]
for a in vals:
    for b in (0, "b"):
        print(repr(a), repr(b), repr(a and b), repr(a or b))
def safe_div(a, b):
    return b != 0 and a / b
print(safe_div(1, 0), safe_div(1, 4))
print(True and False or True, True and (False or True), not (True and False))
n = 5
print(n > 0 and n < 10 and "in range" or "out")
print(all([]) and "vacuous", any([]) or "none")
