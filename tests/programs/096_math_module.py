# math module functions and constants
import math
print(math.pi, math.e, math.tau, math.inf, -math.inf, math.isnan(math.nan))
print(math.sqrt(2), math.sqrt(16), math.isqrt(17), math.isqrt(10 ** 20))
print(math.floor(2.7), math.floor(-2.7), math.ceil(2.1), math.ceil(-2.1), math.trunc(-2.7))
print(math.fabs(-3), math.copysign(3, -0.0), math.fmod(7, -3), math.fmod(-7, 3))
print(math.factorial(20), math.gcd(48, 180), math.gcd(0, 5), math.lcm(4, 6, 10), math.comb(10, 3), math.perm(5, 2))
print(math.exp(1), math.exp(0), math.log(math.e), math.log(100, 10), math.log10(1000), math.log2(1024))
print(math.log1p(1e-10), math.expm1(1e-10), math.pow(2, 0.5), math.pow(2, 10))
print(math.sin(0), math.cos(0), math.tan(0), round(math.sin(math.pi / 6), 12), round(math.cos(math.pi / 3), 12))
print(math.atan2(1, 1), math.atan(1) * 4, math.asin(1), math.acos(0))
print(math.degrees(math.pi), math.radians(180), math.hypot(3, 4), math.hypot(1, 2, 2))
print(math.isclose(0.1 + 0.2, 0.3), math.isclose(1, 1.1), math.isclose(1, 1.05, rel_tol=0.1))
print(math.isinf(math.inf), math.isinf(1e308), math.isfinite(1.0), math.isfinite(math.nan))
print(math.modf(3.75), math.modf(-3.75), math.frexp(8.0), math.ldexp(0.5, 4))
print(math.fsum([0.1] * 10), sum([0.1] * 10), math.prod([1, 2, 3, 4]), math.prod([], start=5))
print(math.sinh(1), math.cosh(1), math.tanh(0.5), math.asinh(1), math.erf(1), math.gamma(5), math.lgamma(10))
print(math.dist((0, 0), (3, 4)), math.remainder(10, 3), math.nextafter(1.0, 2.0), math.ulp(1.0))
try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError:", e)
try:
    math.log(0)
except ValueError as e:
    print("ValueError:", e)
try:
    math.factorial(-1)
except ValueError as e:
    print("ValueError:", e)
try:
    math.exp(1000)
except OverflowError as e:
    print("OverflowError:", e)
from math import sqrt, pi as PI
print(sqrt(81), PI == math.pi)
for d in range(0, 361, 45):
    r = math.radians(d)
    print(d, round(math.sin(r), 6), round(math.cos(r), 6))
print(type(math.floor(2.5)).__name__, type(math.sqrt(4)).__name__, math.floor(10 ** 20 + 0.5))
