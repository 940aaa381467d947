"""Writes spec/tests/data/opcodes.json: CPython 3.9's opcode module and
dis.stack_effect for every opcode, the ground truth for spec/src/opcode.rs.

Run: PYENV_VERSION=3.9.18 python3.9 scripts/gen_opcode_golden.py
"""
import dis
import json
import opcode
import os
import sys

assert sys.version_info[:2] == (3, 9), "run this with CPython 3.9"

KINDS = ["hasconst", "hasname", "hasjrel", "hasjabs", "haslocal",
         "hascompare", "hasfree", "hasnargs"]
ARGS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 255, 256, 257, 258, 513, 0x10203]

rows = []
for name, op in sorted(opcode.opmap.items(), key=lambda kv: kv[1]):
    effects = []
    for arg in (ARGS if op >= opcode.HAVE_ARGUMENT else [None]):
        for jump in (None, True, False):
            try:
                e = dis.stack_effect(op, arg, jump=jump)
            except ValueError:
                e = None
            effects.append([arg, jump, e])
    rows.append({
        "name": name,
        "number": op,
        "has_argument": op >= opcode.HAVE_ARGUMENT,
        "kinds": [k for k in KINDS if op in getattr(opcode, k)],
        "effects": effects,
    })

out = {
    "version": sys.version.split()[0],
    "have_argument": opcode.HAVE_ARGUMENT,
    "extended_arg": opcode.EXTENDED_ARG,
    "cmp_op": list(opcode.cmp_op),
    "opcodes": rows,
}
path = os.path.join(os.path.dirname(__file__), "..", "spec", "tests", "data", "opcodes.json")
with open(path, "w") as f:
    json.dump(out, f, indent=0)
    f.write("\n")
print("wrote", len(rows), "opcodes to", os.path.normpath(path))
