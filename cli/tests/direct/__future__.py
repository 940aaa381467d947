# The engines have no standard library: this module stands in for
# CPython's `__future__` (CPython also imports it from beside the program).
annotations = None
