# from-imports: names, aliases, star import honoring __all__, ImportError for missing name
from helper_mod import greet, CONSTANT
print(greet("from-import"), CONSTANT)
from helper_mod import fib as fibonacci, Shape as Sh
print([fibonacci(i) for i in range(10)], Sh(4).describe())
from helper_mod import counter, bump
print(counter, bump(), bump(), counter)
import helper_mod
print(helper_mod.counter)
from helper_mod import counter
print(counter)
try:
    from helper_mod import does_not_exist
except ImportError as e:
    print("ImportError:", type(e).__name__, e.name, str(e).startswith("cannot import name 'does_not_exist' from 'helper_mod'"))
def local_import():
    from helper_mod import greet as g
    return g("local")
print(local_import())
from helper_mod import *
print(fib(12), Shape(6).describe())
print("_private" in globals(), "bump" in globals())
from math import floor, ceil
print(floor(-1.5), ceil(-1.5))
from helper_pkg_util import twice_greet
print(twice_greet("x"))
