#!/usr/bin/env python3
"""Regenerate the CPython 3.9 golden outputs for the conformance programs.

For every ``tests/programs/NNN_*.py`` this runs CPython 3.9 with
``PYTHONHASHSEED=0``, the working directory set to ``tests/programs``,
``argv = [python, NAME.py]`` (a relative filename) and no stdin, then writes

    tests/programs/golden/NAME.stdout
    tests/programs/golden/NAME.stderr
    tests/programs/golden/NAME.status   (exit status in decimal + "\\n")

CPython 3.9 makes the script path absolute in tracebacks; the golden
stderr has the ``tests/programs/`` directory prefix stripped so it reads
``File "NAME.py", line N, in f`` wherever the checkout lives.

The interpreter is ``$PYREG_PYTHON`` if set, else ``python3.9`` (with
``PYENV_VERSION=3.9.18`` in the child environment so a pyenv shim resolves).
Files are only rewritten when their content changes, so the script is
idempotent.  Golden files whose program no longer exists are removed.

Usage: scripts/gen_program_golden.py [--check] [NAME_OR_GLOB ...]
  --check   do not write anything; exit 1 if any golden file is stale/missing
"""
import fnmatch
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = os.path.join(ROOT, "tests", "programs")
GOLDEN = os.path.join(PROGRAMS, "golden")
PROGRAM_RE = re.compile(r"^[0-9]{3}_.*\.py$")
TIMEOUT = 60


def interpreter():
    return os.environ.get("PYREG_PYTHON") or "python3.9"


def child_env():
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "0"
    env["PYENV_VERSION"] = "3.9.18"
    # Keep CPython from writing __pycache__ for the helper modules and from
    # picking up user configuration that could change output.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    for var in ("PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME", "PYTHONWARNINGS",
                "PYTHONINSPECT", "PYTHONOPTIMIZE", "PYTHONVERBOSE", "PYTHONDEBUG"):
        env.pop(var, None)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def list_programs(patterns):
    names = sorted(n for n in os.listdir(PROGRAMS) if PROGRAM_RE.match(n))
    if patterns:
        names = [n for n in names
                 if any(fnmatch.fnmatch(n, p) or fnmatch.fnmatch(n[:-3], p) or n.startswith(p)
                        for p in patterns)]
    return names


def run_one(python, name):
    try:
        proc = subprocess.run(
            [python, name],
            cwd=PROGRAMS,
            env=child_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        sys.exit("error: %s timed out after %ds" % (name, TIMEOUT))
    except FileNotFoundError:
        sys.exit("error: interpreter %r not found (set PYREG_PYTHON)" % python)
    return proc.stdout, relativize(proc.stderr), proc.returncode


def relativize(data):
    """Make traceback paths relative to tests/programs.

    CPython 3.9 turns the script path given on the command line into an
    absolute path (``__main__.__file__`` and ``co_filename``), so tracebacks
    would read ``File "/abs/.../tests/programs/NAME.py"``.  The golden files
    must not depend on where the checkout lives, so the programs directory
    prefix is stripped, giving ``File "NAME.py", line N, in f``.
    """
    for base in {PROGRAMS, os.path.realpath(PROGRAMS)}:
        data = data.replace(os.fsencode(base + os.sep), b"")
    return data


def write_if_changed(path, data, check):
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except FileNotFoundError:
        pass
    if not check:
        with open(path, "wb") as f:
            f.write(data)
    return True


def main(argv):
    check = "--check" in argv
    patterns = [a for a in argv if a != "--check"]
    python = interpreter()
    version = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2])"],
                             env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if version.returncode != 0 or version.stdout.strip() != b"(3, 9)":
        sys.exit("error: %r is not CPython 3.9 (%s)" % (
            python, (version.stdout + version.stderr).decode(errors="replace").strip()))
    if not check:
        os.makedirs(GOLDEN, exist_ok=True)

    names = list_programs(patterns)
    changed, ok, failing, statuses = [], 0, 0, {}
    for name in names:
        base = name[:-3]
        out, err, status = run_one(python, name)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 0:
            ok += 1
        else:
            failing += 1
        for prefix in {PROGRAMS, os.path.realpath(PROGRAMS)}:
            if os.fsencode(prefix) in out:
                print("warning: %s prints an absolute path on stdout" % name)
        touched = False
        for ext, data in (("stdout", out), ("stderr", err), ("status", b"%d\n" % status)):
            if write_if_changed(os.path.join(GOLDEN, base + "." + ext), data, check):
                touched = True
        if touched:
            changed.append(name)

    removed = []
    if not patterns and os.path.isdir(GOLDEN):
        live = {n[:-3] for n in names}
        for g in sorted(os.listdir(GOLDEN)):
            stem, _, ext = g.rpartition(".")
            if ext in ("stdout", "stderr", "status") and stem not in live:
                removed.append(g)
                if not check:
                    os.remove(os.path.join(GOLDEN, g))

    print("programs: %d (exit 0: %d, nonzero exit: %d)" % (len(names), ok, failing))
    print("exit statuses: " + ", ".join("%d x%d" % (s, c) for s, c in sorted(statuses.items())))
    verb = "stale" if check else "updated"
    print("%s: %d%s" % (verb, len(changed), (" -> " + " ".join(changed)) if changed else ""))
    if removed:
        print("%s orphaned golden files: %s" % ("would remove" if check else "removed", " ".join(removed)))
    if check and (changed or removed):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
