# format() and f-string format specs: fill, align, sign, width, precision, types
n = 1234567
f = 3.14159265
print(f"{n:,} {n:_} {n:10d}| {n:<10d}| {n:^10d}| {n:>010d}")
print(f"{-n:+} {n:+} {n: } {-n: }")
print(f"{255:x} {255:X} {255:#x} {255:o} {255:#o} {255:b} {255:#b}")
print(f"{255:08b} {255:#010b} {5:03d} {-5:03d} {-5:=5d}")
print(f"{f:.2f} {f:.0f} {f:10.3f}| {f:<10.3f}| {f:^10.3f}| {f:*>12.4f}")
print(f"{f:e} {f:.2e} {f:E} {12345.678:.3e}")
print(f"{f:g} {1e-5:g} {1e16:g} {123456789.0:g} {0.0001:g} {100000.0:g}")
print(f"{0.5:%} {0.25:.1%} {1.0:.0%}")
print(f"{'abc':>8}| {'abc':<8}| {'abc':^8}| {'abc':-^9}| {'abc':.2}")
print(format(12, "x"), format(3.5, ".3f"), format("s", ">3"), format(7))
print(format(1234.5, ","), format(1234567.891, ",.2f"), format(-0.0, ".1f"))
print("{:>6}|{:<6}|{:^6}".format(1, 2, 3))
print("{0:.3} {0:.5} {1:.1f}".format(2.718281828, 9.99))
for v in [0, 1, -1, 42, 1000000, -987654]:
    print("|{:>12,}|{:<+8}|{:^9x}|".format(v, v, v))
for v in [0.0, 1.5, -2.25, 1e10, 1e-10, 123.456]:
    print("|{:12.4f}|{:12.4e}|{:12g}|{!r:>14}|".format(v, v, v, v))
print(f"{True:d} {True:>5} {False!s:>6}")
print(f"{'x':=^11}")
print(f"{12.0:.10g} {0.1 + 0.2:.17g} {2/3:.20f}")
print(f"{1234.5678:.2f} {2.5:.0f} {3.5:.0f} {-2.5:.0f} {0.125:.2f} {0.375:.2f}")
print(f"{7:#x} {-255:#x} {2**70:x} {-2**70:,}")
