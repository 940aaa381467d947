# Float formatting tables: every presentation type across a range of magnitudes
values = [0.0, 1.0, -1.5, 0.1, 1 / 3, 2 / 3, 12.5, 99.99, 1234.5678, -0.000123,
          1e-10, 6.02214076e23, 1.602e-19, 123456789.0, 0.5, 2.5, 1e15, 1e16]
for v in values:
    print("%-22r|%12.3f|%12.3e|%12.4g|%10.1f|%s" % (v, v, v, v, v, str(v)))
for v in values:
    print("{:>14}|{:<14.5}|{:^+14.2f}|{:.0f}|{:.3%}".format(v, v, v, v, v))
for spec in ["", "f", "e", "g", "%", ".1", ".10", "+.2f", " .3e", "020.4f", ",.2f", "_.1f", "<12", ">12.2e"]:
    print(repr(spec), format(1234.56789, spec), format(-0.000456, spec))
for w in range(0, 13, 4):
    for p in range(0, 7, 3):
        print("w=%2d p=%d |%*.*f|%-*.*e|" % (w, p, w, p, 3.14159265, w, p, -271.828))
total = 0.0
for i in range(1, 11):
    total += 1 / i
    print("H(%2d) = %.12f  %10.4e  %g" % (i, total, total, total))
print(f"{1e-5:.0e} {1e-5:g} {0.00001:f} {1e5:g} {1e-4:g} {123456.0:g} {1234567.0:g}")
print(f"{2.5:.0f} {3.5:.0f} {0.05:.1f} {0.15:.1f} {0.25:.1f} {0.35:.1f}")
print(f"{float('inf'):f} {float('-inf'):e} {float('nan'):g} {float('inf'):>8} {float('nan'):+}")
print(f"{-0.0:f} {-0.0:g} {-0.0:+.1f} {0.0:+g}")
print("%.20g %.17g %.16g %.15g" % (0.1, 0.1, 0.1, 0.1))
print("%g %g %g %g" % (100000, 1000000, 1e-4, 1e-5))
print("%#g %#.3g %#x %#o" % (1.0, 2.0, 255, 8))
