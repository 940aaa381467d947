"""Writes spec/tests/data/set_order_golden.json: the iteration order of
CPython 3.9 sets and frozensets after scripted operations, the ground truth
for spec/src/settable.rs (replayed by spec/tests/settable.rs).

Run: PYENV_VERSION=3.9.18 python3.9 scripts/gen_set_order_golden.py

The script re-executes itself with PYTHONHASHSEED=0 so that string hashes,
and so the whole file, are the same from run to run.

Layout of the JSON:
  "hashes": {"int": [[k, hash(k)], ...], "str": [[s, hash(s)], ...]}
      hash() of every key used below, except the "range" keys of the big
      scenarios, which are ints in [0, 2**61 - 1) (checked here), whose hash
      is the int itself.
  "scenarios": [{"name", "steps": [step, ...]}]
      Keys are JSON ints (Python ints) or strings (Python strs).
  "eqlog": [{"name", "objects": [[label, hash], ...], "steps": [...]}]
      Keys are indexes into "objects": distinct Python objects whose __eq__
      logs [self, other] and compares labels (label null: __eq__ raises
      ValueError). Each step also records "eq", the __eq__ calls it made,
      and "error" when one raised.

A step is {"op", "out", ...operands, "expect", "size"}: after running op,
list(out) == expect and out's table has "size" slots (from sys.getsizeof).
Operands: "key", "items" (a list), "a"/"b"/"src" (variable names). Ops:
  new: out = set()                  set_list: out = set(items)
  frozenset_tuple: out = frozenset(tuple(items))
  comp: out = {x for x in items}
  display: out = {i0, i1, ...} (literals) run from a marshalled code
      object; with more than two items, records "folded": the iteration
      order of the frozenset constant the compiler made, which marshal
      writes and reads back element by element
  marshal: out = marshal.loads(marshal.dumps(src))   (a frozenset src)
  set_dict: out = set(dict.fromkeys(items))
  add / discard (records "found") / pop (records "popped", null if empty)
  clear / copy: out = src.copy() (records "identity": the result is src
      itself, as for a frozenset) / set_of: out = set(src)
  or, and, sub, xor: out = a OP b    (records "alias": a is b)
  ior, iand, isub, ixor: out OP= src (records "alias": src is out)
  union_list, intersection_list, difference_list, symdiff_list:
      out = a.METHOD(items)
  update_list, intersection_update_list, difference_update_list,
  symdiff_update_list: out.METHOD(items)
  update_dict, symdiff_update_dict: out.METHOD(dict.fromkeys(items))
  difference_dict: out = a.difference(dict.fromkeys(items))
  add_range: out.add(k) for k in items, where items is
      {"n", "mul", "mod"}: k = (i * mul) % mod for i in range(n); records
      "sizes" ([i, size] after each add that changed the table size) and
      "digest" (instead of "expect"): d = (d * 1000003 + k) % 2**64 over
      list(out), from d = 0.
"""
import json
import marshal
import os
import random
import sys

assert sys.version_info[:2] == (3, 9), "run this with CPython 3.9"

if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable] + sys.argv)

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "spec", "tests", "data", "set_order_golden.json")
EMPTY_SIZE = sys.getsizeof(set())
MODULUS = sys.hash_info.modulus


def table_size(s):
    """Slots in s's table: a set whose table is its inline smalltable (8
    slots) has the base size; otherwise getsizeof adds 16 bytes a slot."""
    extra = sys.getsizeof(s) - sys.getsizeof(type(s)())
    if extra == 0:
        return 8
    assert extra % 16 == 0
    return extra // 16


class Obj:
    """A key whose hash is chosen and whose __eq__ is logged."""

    __slots__ = ("ident", "label", "h")
    log = []

    def __init__(self, ident, label, h):
        self.ident, self.label, self.h = ident, label, h

    def __hash__(self):
        return self.h

    def __eq__(self, other):
        Obj.log.append([self.ident, other.ident])
        if self.label is None or other.label is None:
            raise ValueError("unequalable")
        return self.label == other.label

    def __repr__(self):
        return "Obj(%d)" % self.ident


class Runner:
    """Runs steps on real sets, filling in what CPython observed."""

    def __init__(self, to_key=None, from_key=None):
        self.vars = {}
        self.keys = set()  # plain keys seen, to record their hashes
        self.to_key = to_key or (lambda k: k)
        self.from_key = from_key or (lambda k: k)

    def keylist(self, items):
        for k in items:
            self.keys.add((type(k).__name__, k))
        return [self.to_key(k) for k in items]

    def out_list(self, s):
        return [self.from_key(k) for k in s]

    def run(self, step):
        op, out = step["op"], step["out"]
        v = self.vars
        Obj.log = []
        try:
            self.apply(op, out, step, v)
        except ValueError:
            step["error"] = True
        if isinstance(step.get("items"), dict):
            s = v[out]
            d = 0
            for k in s:
                d = (d * 1000003 + k) % 2 ** 64
            step["digest"] = d
        else:
            step["expect"] = self.out_list(v[out])
        step["size"] = table_size(v[out])
        if Obj.log:
            step["eq"] = Obj.log
        return step

    def apply(self, op, out, step, v):
        if "key" in step:
            key = self.keylist([step["key"]])[0]
        if "items" in step and not isinstance(step["items"], dict):
            items = self.keylist(step["items"])
        a = v.get(step.get("a"))
        b = v.get(step.get("b"))
        src = v.get(step.get("src"))
        # CPython special-cases an operand that is the very same object
        # (not just an equal set); names can share an object because
        # frozenset.copy() returns the frozenset itself.
        if "b" in step:
            step["alias"] = a is b
        elif "src" in step and op in ("ior", "iand", "isub", "ixor"):
            step["alias"] = src is v[out]
        if op == "new":
            v[out] = set()
        elif op == "set_list":
            v[out] = set(items)
        elif op == "frozenset_tuple":
            v[out] = frozenset(tuple(items))
        elif op == "comp":
            v[out] = {x for x in items}
        elif op == "display":
            # Compiled from literals, then run from a marshal round trip of
            # the code object, as from a .pyc. 3.9 folds more than two
            # constants into a frozenset constant (BUILD_SET 0, LOAD_CONST,
            # SET_UPDATE), which the compiler builds in its own order;
            # "folded" records the order marshal writes it in.
            assert all(type(k) in (int, str) for k in items)
            code = compile("{" + ", ".join(repr(k) for k in items) + "}",
                           "<display>", "eval")
            consts = [c for c in code.co_consts if type(c) is frozenset]
            assert len(consts) == (1 if len(items) > 2 else 0)
            if consts:
                step["folded"] = self.out_list(consts[0])
            v[out] = eval(marshal.loads(marshal.dumps(code)))
        elif op == "marshal":
            assert type(src) is frozenset
            v[out] = marshal.loads(marshal.dumps(src))
        elif op == "set_dict":
            v[out] = set(dict.fromkeys(items))
        elif op == "add":
            v[out].add(key)
        elif op == "discard":
            before = len(v[out])
            try:
                v[out].discard(key)
            finally:
                step["found"] = len(v[out]) != before
        elif op == "pop":
            try:
                step["popped"] = self.from_key(v[out].pop())
            except KeyError:
                step["popped"] = None
        elif op == "clear":
            v[out].clear()
        elif op == "copy":
            v[out] = src.copy()
            step["identity"] = v[out] is src
        elif op == "set_of":
            v[out] = set(src)
        elif op == "or":
            v[out] = a | b
        elif op == "and":
            v[out] = a & b
        elif op == "sub":
            v[out] = a - b
        elif op == "xor":
            v[out] = a ^ b
        elif op == "ior":
            s = v[out]
            s |= src
        elif op == "iand":
            s = v[out]
            s &= src
        elif op == "isub":
            s = v[out]
            s -= src
        elif op == "ixor":
            s = v[out]
            s ^= src
        elif op == "union_list":
            v[out] = a.union(items)
        elif op == "intersection_list":
            v[out] = a.intersection(items)
        elif op == "difference_list":
            v[out] = a.difference(items)
        elif op == "symdiff_list":
            v[out] = a.symmetric_difference(items)
        elif op == "update_list":
            v[out].update(items)
        elif op == "intersection_update_list":
            v[out].intersection_update(items)
        elif op == "difference_update_list":
            v[out].difference_update(items)
        elif op == "symdiff_update_list":
            v[out].symmetric_difference_update(items)
        elif op == "update_dict":
            v[out].update(dict.fromkeys(items))
        elif op == "symdiff_update_dict":
            v[out].symmetric_difference_update(dict.fromkeys(items))
        elif op == "difference_dict":
            v[out] = a.difference(dict.fromkeys(items))
        elif op == "add_range":
            spec = step["items"]
            s = v[out]
            sizes = []
            last = table_size(s)
            for i in range(spec["n"]):
                k = (i * spec["mul"]) % spec["mod"]
                assert 0 <= k < MODULUS and hash(k) == k
                s.add(k)
                size = table_size(s)
                if size != last:
                    sizes.append([i, size])
                    last = size
            step["sizes"] = sizes
        else:
            raise AssertionError("unknown op " + op)


def scenario(name, steps, runner=None):
    runner = runner or Runner()
    return {"name": name, "steps": [runner.run(dict(s)) for s in steps]}, runner


def st(op, out, **kw):
    d = {"op": op, "out": out}
    d.update(kw)
    return d


# ---------------------------------------------------------------- scenarios

rng = random.Random(3918)
scenarios = []
all_keys = set()


def add_scenario(name, steps):
    sc, runner = scenario(name, steps)
    scenarios.append(sc)
    all_keys.update(runner.keys)


# Collisions in the smallest table: all multiples of 8 start at slot 0, and
# with perturb == 0 for small hashes they walk 0, 1, 6, 7, 4, 5, 2, 3.
add_scenario("multiples_of_8", [
    st("new", "s"),
    *[st("add", "s", key=k) for k in (0, 8, 16, 24, 3, 32)],
    st("discard", "s", key=8),
    st("add", "s", key=40),
    st("discard", "s", key=0),
    st("discard", "s", key=16),
    st("add", "s", key=48),
    st("add", "s", key=8),
])

# No dummy reuse in 3.9: a dummy in the probe path is stepped over and the
# insert takes the next empty slot, and fill grows.
add_scenario("dummies_not_reused", [
    st("set_list", "s", items=[0, 8, 2, 16]),
    st("discard", "s", key=0),
    st("discard", "s", key=16),
    st("add", "s", key=24),
    st("set_list", "t", items=[0, 1, 2, 3]),
    st("discard", "t", key=0),
    st("add", "t", key=8),
    st("set_list", "u", items=[0, 8, 3]),
    st("discard", "u", key=0),
    st("add", "u", key=16),
    st("discard", "u", key=8),
    st("add", "u", key=0),
    st("add", "u", key=8),
])

# -1 and -2 both hash to -2 but are unequal; 2**61 - 1 hashes to 0, 2**61 to
# 1; big negative and positive values exercise perturb's high bits.
specials = [-1, -2, 0, 2 ** 61 - 1, 2 ** 61, 1, -(2 ** 61), 2 ** 62, -(2 ** 62),
            2 ** 63 - 1, -(2 ** 63), 2 ** 61 - 2, -3, 5, 13, 2 ** 32, 2 ** 40 + 8]
add_scenario("special_int_hashes", [
    st("new", "s"),
    *[st("add", "s", key=k) for k in specials],
    st("discard", "s", key=-1),
    st("add", "s", key=-1),
    st("discard", "s", key=2 ** 61 - 1),
    st("discard", "s", key=0),
    st("add", "s", key=2 ** 61 - 1),
    st("set_list", "t", items=specials[::-1]),
    st("frozenset_tuple", "f", items=specials),
    st("comp", "c", items=specials[3:] + specials[:3]),
])

# Collisions in larger tables, where linear probing (9 following slots when
# they fit) kicks in.
wide = [k * 32 for k in range(30)] + [k * 64 + 1 for k in range(20)] \
    + [k * 1024 + 5 for k in range(20)]
add_scenario("linear_probes", [
    st("new", "s"),
    *[st("add", "s", key=k) for k in wide],
    *[st("discard", "s", key=k) for k in wide[::3]],
    *[st("add", "s", key=k) for k in wide[::6]],
    st("set_list", "t", items=wide[::-1]),
    st("copy", "u", src="t"),
])

# Table ends: home slots near the end of the table cannot probe linearly.
ends = [k * 64 + 63 for k in range(12)] + [k * 64 + 57 for k in range(12)] \
    + [k * 128 + 120 for k in range(10)]
add_scenario("table_end", [
    st("set_list", "s", items=ends),
    st("set_list", "t", items=ends[::-1]),
    st("display", "d", items=ends[:20]),
])

# Strings: their SipHash values (PYTHONHASHSEED=0).
words = ["", "a", "b", "ab", "ba", "abc", "hello", "world", "set", "frozenset",
         "x" * 40, "\u00e9t\u00e9", "\u4e2d\u6587", "\U0001f600", "spam", "eggs",
         "foo", "bar", "baz", "qux"] + ["k%d" % i for i in range(30)]
add_scenario("strings", [
    st("new", "s"),
    *[st("add", "s", key=w) for w in words],
    *[st("discard", "s", key=w) for w in words[::4]],
    st("set_list", "t", items=words[::-1]),
    st("frozenset_tuple", "f", items=words),
    st("marshal", "m", src="f"),
    st("display", "d", items=words[:7]),
    st("set_list", "mixed", items=words[:10] + list(range(0, 80, 8))),
])

# pop's finger: pops sweep the table from where the last one stopped,
# survive adds, clear and in-place operations.
add_scenario("pop_finger", [
    st("set_list", "s", items=list(range(0, 40, 3)) + [64, 128, 96]),
    *[st("pop", "s") for _ in range(5)],
    st("add", "s", key=1),
    st("add", "s", key=0),
    *[st("pop", "s") for _ in range(4)],
    st("clear", "s"),
    st("update_list", "s", items=[7, 1, 2, 3]),
    st("pop", "s"),
    st("pop", "s"),
    st("set_list", "t", items=list(range(20))),
    *[st("pop", "t") for _ in range(6)],
    st("set_list", "u", items=list(range(3, 12))),
    st("iand", "t", src="u"),
    *[st("pop", "t") for _ in range(3)],
    st("set_list", "v", items=list(range(10))),
    *[st("pop", "v") for _ in range(11)],
    st("add", "v", key=0),
    st("pop", "v"),
])

# The finger after clear() (kept: it is not part of the table) and after
# &= (set_swap_bodies swaps tables, not fingers): with the finger kept, the
# next pop starts past the start of the new table.
add_scenario("finger_kept", [
    st("set_list", "s", items=[0, 1, 2, 3]),
    st("pop", "s"),
    st("pop", "s"),
    st("clear", "s"),
    st("update_list", "s", items=[0, 1, 2, 3]),
    st("pop", "s"),
    st("set_list", "t", items=list(range(10))),
    *[st("pop", "t") for _ in range(5)],
    st("update_list", "t", items=[0, 1, 2]),
    st("set_list", "u", items=list(range(10))),
    st("iand", "t", src="u"),
    st("pop", "t"),
    st("pop", "t"),
    st("set_list", "v", items=list(range(10))),
    *[st("pop", "v") for _ in range(5)],
    st("update_list", "v", items=[0, 1, 2]),
    st("intersection_update_list", "v", items=list(range(10))),
    st("pop", "v"),
])

# Rebuilding an 8-slot table in place: resizing to 8 slots purges dummies
# unless there are none.
add_scenario("small_table_rebuild", [
    st("set_list", "s", items=[0, 1, 2, 3]),
    *[st("discard", "s", key=k) for k in (0, 1, 2, 3)],
    st("add", "s", key=8),
    st("add", "s", key=16),
    st("set_list", "t", items=[0, 8, 1, 2]),
    st("difference_update_list", "t", items=[0, 1, 2]),
    st("add", "t", key=16),
    st("add", "t", key=24),
])

# frozenset.copy() is the frozenset itself, so the two names then share one
# object and `f & g` sees the same object twice.
add_scenario("frozenset_identity", [
    st("frozenset_tuple", "f", items=[0, 8, 16, 24, 40, 48, 3]),
    st("copy", "g", src="f"),
    st("and", "h", a="f", b="g"),
    st("or", "i", a="f", b="g"),
    st("xor", "j", a="f", b="g"),
    st("sub", "k", a="f", b="g"),
    st("set_of", "s", src="f"),
    st("copy", "t", src="s"),
])

# Resizes: growth to used*4, the shrink back to 8 slots, difference_update's
# purge of dummies (more than a quarter of the slots).
add_scenario("resizes", [
    st("new", "s"),
    *[st("add", "s", key=k) for k in range(0, 200, 7)],
    *[st("discard", "s", key=k) for k in range(0, 200, 7)][:25],
    st("add", "s", key=1000),
    st("set_list", "t", items=list(range(100))),
    st("difference_update_list", "t", items=list(range(5, 100))),
    st("set_list", "u", items=list(range(100))),
    st("difference_update_list", "u", items=list(range(10, 30))),
    st("set_list", "w", items=list(range(40))),
    st("set_list", "x", items=list(range(3, 38))),
    st("isub", "w", src="x"),
    st("set_list", "y", items=list(range(50))),
    st("clear", "y"),
    st("add", "y", key=8),
])

# Big sets: many resizes, then the used*2 growth above 50000 entries.
add_scenario("many_resizes", [
    st("new", "s"),
    st("add_range", "s", items={"n": 3000, "mul": 2654435761, "mod": 2 ** 40}),
    st("new", "t"),
    st("add_range", "t", items={"n": 2000, "mul": 8, "mod": 2 ** 61 - 1}),
])
add_scenario("over_50000", [
    st("new", "s"),
    st("add_range", "s", items={"n": 80000, "mul": 40503, "mod": 2 ** 36}),
])


def binops(x, y):
    """Every binary operation on x and y, both ways, plus the in-place and
    list-argument forms, each on fresh copies."""
    steps = []
    for (a, b) in ((x, y), (y, x), (x, x)):
        for op in ("or", "and", "sub", "xor"):
            steps.append(st(op, "r_%s_%s_%s" % (op, a, b), a=a, b=b))
    for (a, b) in ((x, y), (y, x), (x, x)):
        for op in ("ior", "iand", "isub", "ixor"):
            out = "i_%s_%s_%s" % (op, a, b)
            steps.append(st("copy", out, src=a))
            steps.append(st(op, out, src=out if a == b else b))
    return steps


def set_ops(name, xs, ys):
    steps = [st("set_list", "x", items=xs), st("set_list", "y", items=ys)]
    steps += binops("x", "y")
    steps += [
        st("union_list", "ul", a="x", items=ys),
        st("intersection_list", "il", a="x", items=ys),
        st("difference_list", "dl", a="x", items=ys),
        st("symdiff_list", "sl", a="x", items=ys),
        st("difference_dict", "dd", a="x", items=ys),
        st("set_of", "uu", src="x"),
        st("update_list", "uu", items=ys),
        st("set_of", "iu", src="x"),
        st("intersection_update_list", "iu", items=ys),
        st("set_of", "du", src="x"),
        st("difference_update_list", "du", items=ys),
        st("set_of", "su", src="x"),
        st("symdiff_update_list", "su", items=ys),
        st("set_of", "ud", src="x"),
        st("update_dict", "ud", items=ys),
        st("set_of", "sd", src="x"),
        st("symdiff_update_dict", "sd", items=ys),
        st("set_dict", "fd", items=ys),
    ]
    add_scenario(name, steps)


set_ops("ops_small", [0, 8, 16, 1, 9, 3], [8, 24, 9, 2, 40])
set_ops("ops_sizes_differ", list(range(0, 160, 8)), [16, 32, 5, 48, 17])
set_ops("ops_much_larger", [3, 11, 19], list(range(0, 400, 4)) + [11])
set_ops("ops_strings", words[:12], words[6:20] + [8, 16])
set_ops("ops_tie", [0, 8, 16, 3], [16, 8, 0, 5])
set_ops("ops_same_size", [1, 9, 17, 25, 33, 41], [9, 41, 2, 10, 18, 26])
set_ops("ops_negative", [-1, -2, -9, -17, 7, 2 ** 61 - 2], [-2, -3, -9, 2 ** 62, 7])

# Building sets: set(list), frozenset(tuple), comprehension, display (folded
# into a frozenset constant when longer than two, then SET_UPDATE), marshal
# round trip of a frozenset constant, set(frozenset), set(dict).
for n, items in enumerate([
        [0, 8, 16, 24, 32],
        [5, 13, 21, 29, 37, 45, 53, 61, 69],
        [1, 2],
        list(range(0, 256, 16)) + [1, 17, 33],
        [-1, -2, -3, 40, 48, 56, 64, 72],
]):
    add_scenario("build_%d" % n, [
        st("set_list", "s", items=items),
        st("set_list", "r", items=items[::-1]),
        st("frozenset_tuple", "f", items=items),
        st("frozenset_tuple", "g", items=items[::-1]),
        st("comp", "c", items=items),
        st("display", "d", items=items),
        st("marshal", "m", src="f"),
        st("marshal", "n", src="g"),
        st("set_of", "sf", src="g"),
        st("set_dict", "sd", items=items[::-1]),
        st("set_list", "dup", items=items + items[::-1] + items),
    ])

# Random operation scripts over collision-heavy key pools.
families = [
    lambda r: r.randrange(0, 64) * 8,
    lambda r: r.randrange(0, 16) * 32 + r.choice((0, 1)),
    lambda r: r.randrange(-40, 40),
    lambda r: r.choice((-1, -2, 2 ** 61 - 1, 2 ** 61, 2 ** 62 + 3, -(2 ** 62)))
    + r.randrange(0, 3) * 8,
    lambda r: r.randrange(0, 2 ** 63),
    lambda r: "w%d" % r.randrange(0, 30),
]
MUTATORS = ["add", "add", "add", "discard", "discard", "pop", "clear",
            "ior", "iand", "isub", "ixor", "update_list", "difference_update_list",
            "intersection_update_list", "symdiff_update_list", "update_dict"]
BUILDERS = ["set_list", "comp", "display", "frozenset_tuple", "copy", "set_of",
            "or", "and", "sub", "xor", "union_list", "intersection_list",
            "difference_list", "symdiff_list", "difference_dict", "set_dict",
            "marshal"]

for n in range(14):
    pool = set()
    fams = rng.sample(families, 3)
    while len(pool) < rng.randrange(12, 28):
        pool.add(rng.choice(fams)(rng))
    pool = sorted(pool, key=lambda k: (type(k).__name__, k))
    kinds = {}  # variable -> "set" or "frozenset"

    def items(k=None):
        k = rng.randrange(0, len(pool) + 4) if k is None else k
        return [rng.choice(pool) for _ in range(k)]

    steps = []
    for name in ("a", "b", "c"):
        steps.append(st("set_list", name, items=items()))
        kinds[name] = "set"
    for _ in range(40):
        sets = [v for v in kinds if kinds[v] == "set"]
        if rng.random() < 0.6:
            op = rng.choice(MUTATORS)
            out = rng.choice(sets)
            if op in ("add", "discard"):
                steps.append(st(op, out, key=rng.choice(pool)))
            elif op in ("pop", "clear"):
                steps.append(st(op, out))
            elif op.startswith("i") and op in ("ior", "iand", "isub", "ixor"):
                steps.append(st(op, out, src=rng.choice(list(kinds))))
            else:
                steps.append(st(op, out, items=items()))
        else:
            op = rng.choice(BUILDERS)
            out = rng.choice(["a", "b", "c", "d", "e", "f"])
            a, b = rng.choice(list(kinds)), rng.choice(list(kinds))
            if op == "marshal":
                frozen = [v for v in kinds if kinds[v] == "frozenset"]
                if not frozen:
                    op = "frozenset_tuple"
                else:
                    steps.append(st(op, out, src=rng.choice(frozen)))
                    kinds[out] = "frozenset"
                    continue
            if op in ("set_list", "comp", "display", "frozenset_tuple", "set_dict"):
                steps.append(st(op, out, items=items()))
                kind = "frozenset" if op == "frozenset_tuple" else "set"
            elif op in ("copy", "set_of"):
                steps.append(st(op, out, src=a))
                kind = kinds[a] if op == "copy" else "set"
            elif op in ("or", "and", "sub", "xor"):
                steps.append(st(op, out, a=a, b=b))
                kind = kinds[a]
            else:
                steps.append(st(op, out, a=a, items=items()))
                kind = kinds[a]
            if op == "display" and not steps[-1]["items"]:
                steps[-1]["op"] = "set_list"  # "{}" is a dict
            kinds[out] = kind
        # keep at least one mutable set around
        if not any(k == "set" for k in kinds.values()):
            steps.append(st("set_list", "a", items=items()))
            kinds["a"] = "set"
    add_scenario("random_%d" % n, steps)


# ------------------------------------------------------------- eq-logged

eqlogs = []


def eq_scenario(name, objects, steps):
    """objects: [(label, hash)]; keys in steps are indexes."""
    objs = [Obj(i, lab, h) for i, (lab, h) in enumerate(objects)]
    runner = Runner(to_key=lambda i: objs[i], from_key=lambda o: o.ident)
    runner.keylist = lambda ks: [objs[i] for i in ks]
    sc, _ = scenario(name, steps, runner)
    sc["objects"] = [list(o) for o in objects]
    eqlogs.append(sc)


# Equal-hash objects: distinct objects with equal labels, distinct labels with
# equal hashes, and comparisons in probe order.
objs = [("p", 0), ("q", 0), ("p", 0), ("r", 8), ("q", 0), ("s", 1), ("t", 8),
        ("r", 8), ("u", 16), ("u", 16), ("v", 0), ("w", 3)]
eq_scenario("eq_basic", objs, [
    st("new", "s"),
    *[st("add", "s", key=i) for i in range(len(objs))],
    st("discard", "s", key=4),
    st("discard", "s", key=0),
    st("add", "s", key=2),
    st("set_list", "t", items=[7, 9, 10, 11, 5, 1]),
    *binops("s", "t"),
    st("union_list", "ul", a="s", items=[9, 4, 3]),
    st("intersection_list", "il", a="s", items=[9, 4, 3, 6]),
    st("difference_list", "dl", a="s", items=[9, 4, 3]),
    st("symdiff_list", "sl", a="s", items=[9, 4, 3]),
])

# difference_update with a much larger other (the len(other)>>3 > len(self)
# branch) and set_difference's copy-and-discard branch (len(self)>>2 >
# len(other)).
big = [("L%d" % i, (i % 4) * 8) for i in range(40)] + [("L1", 8), ("L2", 16)]
eq_scenario("eq_size_branches", big, [
    st("set_list", "small", items=[40, 41, 5]),
    st("set_list", "large", items=list(range(40))),
    st("copy", "s1", src="small"),
    st("isub", "s1", src="large"),
    st("sub", "d1", a="large", b="small"),
    st("sub", "d2", a="small", b="large"),
    st("and", "a1", a="small", b="large"),
    st("and", "a2", a="large", b="small"),
    st("difference_list", "dl", a="large", items=[41, 2]),
])

# A raising __eq__: the operation stops where CPython stops.
boom = [("a", 0), ("b", 0), (None, 0), ("c", 8), ("d", 8), ("a", 0), ("e", 1)]
eq_scenario("eq_errors", boom, [
    st("set_list", "s", items=[0, 1, 3, 6]),
    st("copy", "s2", src="s"),
    st("add", "s2", key=2),
    st("set_list", "t", items=[4, 2]),
    st("copy", "u", src="s"),
    st("ior", "u", src="t"),
    st("copy", "v", src="s"),
    st("update_list", "v", items=[4, 2, 5]),
    st("copy", "w", src="s"),
    st("discard", "w", key=2),
])

# ------------------------------------------------------------------ output

hashes = {"int": [], "str": []}
for kind, k in sorted(all_keys, key=lambda tk: (tk[0], tk[1])):
    hashes[kind].append([k, hash(k)])
for _, h in hashes["int"]:
    assert -(2 ** 63) <= h < 2 ** 63

data = {
    "python": sys.version.split()[0],
    "hashes": hashes,
    "scenarios": scenarios,
    "eqlog": eqlogs,
}
text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
with open(OUT, "w", encoding="utf-8") as f:
    f.write(text)
    f.write("\n")
print("wrote %d scenarios, %d eq-logged, %d bytes to %s"
      % (len(scenarios), len(eqlogs), len(text.encode()), OUT))
