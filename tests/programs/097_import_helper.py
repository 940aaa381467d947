# import of a helper module beside the program; module attributes, caching
print("before import")
import helper_mod
print("after import")
print(helper_mod.CONSTANT, helper_mod.greet("world"), helper_mod._private)
print(helper_mod.fib(30), helper_mod.Shape(5).describe())
print(helper_mod.bump(), helper_mod.bump(), helper_mod.counter)
import helper_mod
print("second import did not re-execute")
import helper_mod as hm
print(hm is helper_mod, hm.counter, hm.__name__)
helper_mod.CONSTANT = 7
print(hm.CONSTANT)
import helper_pkg_util
print(helper_pkg_util.twice_greet("pyreg"))
print(helper_pkg_util.shared_bump(), helper_mod.counter)
print(helper_pkg_util.helper_mod is helper_mod)
def use_in_function():
    import helper_mod as inner
    return inner.greet("function scope")
print(use_in_function())
print(type(helper_mod).__name__, hasattr(helper_mod, "greet"), hasattr(helper_mod, "nope"))
print(sorted(k for k in vars(helper_mod) if not k.startswith("__")))
try:
    import helper_does_not_exist
except ImportError as e:
    print("ImportError type:", type(e).__name__, e.name)
s = helper_mod.Shape(3)
print(isinstance(s, hm.Shape), type(s).__module__)
print(__name__, helper_mod.__name__)
