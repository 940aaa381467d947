# printf-style % formatting for strings (BINARY_MODULO on str)
print("%d %i %s %r" % (42, -7, "str", "repr"))
print("%5d|%-5d|%05d|%+d|% d" % (42, 42, 42, 42, 42))
print("%x %X %#x %o %#o" % (255, 255, 255, 8, 8))
print("%f %.2f %10.3f|%-10.3f|%+.1f" % (3.14159, 3.14159, 3.14159, 3.14159, 3.14159))
print("%e %.3E %g %G %g" % (12345.678, 0.000123, 0.00001234, 1e20, 100.0))
print("%s and %s" % ("a", [1, 2]), "%s" % (("tuple",),), "%s" % "single")
print("%c%c%c" % (72, "i", 33))
print("100%%", "%d%%" % 50)
print("%(name)s is %(age)d years" % {"name": "Ann", "age": 30})
print("%(x)r %(x)s" % {"x": "q"})
print("%*d|%-*d|%.*f" % (6, 1, 6, 2, 2, 3.14159))
print("%s" % None, "%s" % True, "%d" % True, "%.3s" % "abcdef")
print("%10s|%-10s|" % ("right", "left"))
print("%5.1f%%" % 99.44)
for v in [0, 1, -1, 3.5, 1e10, 2 ** 70]:
    print("%s | %r | %d | %.2f | %x" % (v, v, v, v, int(v)))
try:
    print("%d" % "x")
except TypeError as e:
    print("TypeError:", e)
try:
    print("%s %s" % ("only one",))
except TypeError as e:
    print("TypeError:", e)
try:
    print("%s" % (1, 2))
except TypeError as e:
    print("TypeError:", e)
print(b"%d bytes %s" % (5, b"ok"))
print("%.0f %.0f %.0f %.0f" % (0.5, 1.5, 2.5, -0.5))
print("%08.3f|%-8.2e|%+08d" % (-3.14159, 1234.5, 77))
