#!/usr/bin/env python3
"""Times the benchmark programs on pyreg's engines and on CPython.

Runs every program of benches/ (or those given) under each engine, R times,
interleaving engines within each round so that machine noise spreads evenly,
and prints a Markdown table of median wall times (seconds) with the ratios
vm / CPython 3.9 and vm / vm-stack, and their geometric means over the
programs every engine ran. A run that fails (an engine that does not support
the program yet, or output differing from CPython's) is shown as `-` with
the reason below the table.

Usage: scripts/bench.py [--rounds R] [--engines vm,vm-stack,spec-reg,spec-stack]
                        [--json] [PROGRAM ...]
Needs a release build (cargo build --release) and CPython 3.9 (PYREG_PYTHON,
python3.9 or pyenv); CPython 3.11 is timed too when `python3.11` exists.
"""
import argparse
import glob
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYREG = os.path.join(ROOT, "target", "release", "pyreg")


def runs_39(p):
    """Whether `p` is a CPython 3.9 that starts (a pyenv shim without a
    selected version does not)."""
    try:
        out = subprocess.run([p, "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and out.stdout.strip() == "(3, 9)"


def python39():
    for p in [os.environ.get("PYREG_PYTHON"), shutil.which("python3.9")]:
        if p and runs_39(p):
            return p
    try:
        prefix = subprocess.run(["pyenv", "prefix", "3.9.18"], capture_output=True,
                                text=True, check=True).stdout.strip()
        p = os.path.join(prefix, "bin", "python3.9")
        if runs_39(p):
            return p
    except (OSError, subprocess.CalledProcessError):
        pass
    sys.exit("CPython 3.9 not found (set PYREG_PYTHON)")


def command(engine, program, py39):
    if engine == "cpython3.9":
        return [py39, program]
    if engine == "cpython3.11":
        return ["python3.11", program]
    return [PYREG, "run", "--engine", engine, "--frontend", "cpython", program]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--engines", default="vm")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("programs", nargs="*")
    a = ap.parse_args()
    py39 = python39()
    programs = a.programs or sorted(glob.glob(os.path.join(ROOT, "benches", "bm_*.py")))
    engines = ["cpython3.9"] + [e for e in a.engines.split(",") if e]
    if shutil.which("python3.11"):
        engines.append("cpython3.11")
    env = dict(os.environ, PYTHONHASHSEED="0", PYREG_PYTHON=py39)
    times = {(p, e): [] for p in programs for e in engines}
    failed = {}
    expected = {}
    for r in range(a.rounds):
        for p in programs:
            for e in engines:
                if (p, e) in failed:
                    continue
                t0 = time.perf_counter()
                out = subprocess.run(command(e, os.path.basename(p), py39), cwd=os.path.dirname(p),
                                     capture_output=True, env=env)
                dt = time.perf_counter() - t0
                if e == "cpython3.9":
                    expected[p] = out.stdout
                if out.returncode != 0 or (p in expected and out.stdout != expected[p]):
                    last = (out.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1]
                    failed[(p, e)] = last[:120] if out.returncode else "output differs"
                    continue
                times[(p, e)].append(dt)
    med = {k: statistics.median(v) for k, v in times.items() if v}
    rows = []
    for p in programs:
        row = {"program": os.path.basename(p)}
        for e in engines:
            row[e] = med.get((p, e))
        rows.append(row)

    def geo(num, den):
        rs = [r[num] / r[den] for r in rows if r.get(num) and r.get(den)]
        return (math.exp(sum(map(math.log, rs)) / len(rs)), len(rs)) if rs else (None, 0)

    summary = {"vm/cpython3.9": geo("vm", "cpython3.9"), "vm/vm-stack": geo("vm", "vm-stack")}
    if a.json:
        print(json.dumps({"rows": rows, "summary": summary,
                          "failed": {f"{os.path.basename(p)} {e}": m for (p, e), m in failed.items()}}))
        return
    fmt = lambda x: "-" if x is None else f"{x:.3f}"
    print("| program | " + " | ".join(engines) + " | vm / CPython 3.9 |")
    print("|---|" + "---:|" * (len(engines) + 1))
    for r in rows:
        ratio = r["vm"] / r["cpython3.9"] if r.get("vm") and r.get("cpython3.9") else None
        print(f"| {r['program']} | " + " | ".join(fmt(r[e]) for e in engines) + f" | {fmt(ratio)} |")
    for k, (g, n) in summary.items():
        print(f"\ngeometric mean {k}: {fmt(g)} over {n} programs")
    if failed:
        print("\nNot run:")
        for (p, e), m in sorted(failed.items()):
            print(f"- {os.path.basename(p)} on {e}: {m}")


if __name__ == "__main__":
    main()
