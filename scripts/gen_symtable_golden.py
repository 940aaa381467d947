#!/usr/bin/env python3.9
"""CPython 3.9's symbol table of each program, in the text form that
`pyreg_frontend::symtable::dump` prints (the checker test compares the two).

Usage:
  gen_symtable_golden.py --write DIR FILE...   one DIR/STEM.symtable per file
  gen_symtable_golden.py FILE...               all to stdout, each after '=== PATH'
  gen_symtable_golden.py --stdin               the same, for the paths read from stdin

Run with CPython 3.9 (PYENV_VERSION=3.9.18 python3.9).
"""
import os
import sys
import symtable

assert sys.version_info[:2] == (3, 9), "run with CPython 3.9"

SCOPE_OFF = 11


def dump(table):
    out = []

    def go(t):
        out.append("%s %s %d" % (t.get_type(), t.get_name(), t.get_lineno()))
        syms = sorted(t._table.symbols.items())
        for name, flags in syms:
            out.append("  %s %d %d" % (name, flags & ((1 << SCOPE_OFF) - 1), (flags >> SCOPE_OFF) & 7))
        for c in t.get_children():
            go(c)

    go(table)
    return "\n".join(out) + "\n"


def main(argv):
    write = None
    if argv and argv[0] == "--write":
        write, argv = argv[1], argv[2:]
    if argv == ["--stdin"]:
        argv = [line.rstrip("\n") for line in sys.stdin]
    for path in argv:
        # Bytes, so that the symbol table decodes them as the compiler
        # would (PEP 263).
        with open(path, "rb") as f:
            src = f.read()
        stem = os.path.splitext(os.path.basename(path))[0]
        try:
            text = dump(symtable.symtable(src, os.path.basename(path), "exec"))
        except SyntaxError as e:
            text = "error %s\n" % e.msg
        if write:
            with open(os.path.join(write, stem + ".symtable"), "w") as f:
                f.write(text)
        else:
            sys.stdout.write("=== %s\n%s" % (path, text))


main(sys.argv[1:])
