# bytearray as a mutable bytes: methods shared with bytes, mutation, slices, bytes % args
ba = bytearray(b"hello")
print(ba.upper(), ba.split(b"l"), ba.partition(b"e"), ba.find(b"l"), ba.hex())
ba[::2] = b"XYZ"
print(ba)
try:
    ba[::2] = b"ab"
except ValueError as e:
    print("ValueError:", e)
del ba[::2]
print(ba)
ba.reverse()
print(ba, ba.copy(), ba.remove(101), ba)
for bad in (lambda: ba.remove(1), lambda: bytearray().pop(), lambda: ba.append(256)):
    try:
        bad()
    except (ValueError, IndexError) as e:
        print(type(e).__name__, e)
acc = bytearray()
for i in range(5):
    acc += bytes([65 + i])
alias = acc
acc += b"!"
print(acc, alias is acc, acc + b"?", b"<" + acc, acc * 2, acc == b"ABCDE!", acc < b"B")
print(b"%5s|%-4b|%r|%a|%c%c|%x|%05.1f" % (b"ab", bytearray(b"c"), "\xe9", b"q", 65, b"z", 255, 2.25))
print(b"%(k)s=%(v)d" % {b"k": b"key", b"v": 7})
for fmt, args in [(b"%s", "x"), (b"%c", 300), (b"%c", "a"), (b"%d %d", (1, 2, 3))]:
    try:
        print(fmt % args)
    except (TypeError, OverflowError) as e:
        print(type(e).__name__, e)
print(ord(bytearray(b"z")), int("\u0663\u0664"), type(None)(), type(...)())
try:
    b"x" + 1
except TypeError as e:
    print("TypeError:", e)
