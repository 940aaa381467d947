"""Writes tests/golden/dis/: for every corpus program NAME.py, the marshalled
code object CPython 3.9 compiles from it (NAME.marshal) and what
`python3.9 -m dis NAME.py` prints for it (NAME.dis), run from tests/programs.

Run: PYENV_VERSION=3.9.18 python3.9 scripts/gen_dis_golden.py
"""
import glob
import marshal
import os
import subprocess
import sys

assert sys.version_info[:2] == (3, 9), "run this with CPython 3.9"
# frozenset constants are marshalled in iteration order, which depends on
# string hashes: compile under the same seed as the dis run.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))
root = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
programs = os.path.join(root, "tests", "programs")
out_dir = os.path.join(root, "tests", "golden", "dis")
os.makedirs(out_dir, exist_ok=True)
for old in glob.glob(os.path.join(out_dir, "*")):
    os.remove(old)

count = 0
for path in sorted(glob.glob(os.path.join(programs, "*.py"))):
    name = os.path.basename(path)
    with open(path, "rb") as f:
        code = compile(f.read(), name, "exec", dont_inherit=True)
    stem = name[:-3]
    with open(os.path.join(out_dir, stem + ".marshal"), "wb") as f:
        f.write(marshal.dumps(code))
    listing = subprocess.run(
        [sys.executable, "-m", "dis", name], cwd=programs, check=True,
        stdout=subprocess.PIPE, env=dict(os.environ, PYTHONHASHSEED="0"),
    ).stdout
    with open(os.path.join(out_dir, stem + ".dis"), "wb") as f:
        f.write(listing)
    count += 1
print("wrote dis golden data for", count, "programs to", out_dir)
