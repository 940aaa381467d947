# Second helper module; imports helper_mod itself (module cache test)
import helper_mod
print("helper_pkg_util executing")
def twice_greet(name):
    return helper_mod.greet(name) + " " + helper_mod.greet(name)
def shared_bump():
    return helper_mod.bump()
