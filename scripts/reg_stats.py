#!/usr/bin/env python3
"""Executed-instruction and code-size figures of the register ISA.

Runs `pyreg stats --json` on every program given (default: the conformance
corpus, tests/programs/NNN_*.py) and prints a Markdown table, one row per
program, then the totals and the counterfactual costs of the design choices
(how many more register instructions would execute without each folding),
computed from the same runs' per-opcode profiles.

Usage: scripts/reg_stats.py [--pyreg PATH] [PROGRAM ...]
Needs a release build (cargo build --release) and CPython 3.9 for the
bridge front end (PYREG_PYTHON, python3.9 or pyenv).
"""
import collections
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    args = sys.argv[1:]
    pyreg = os.path.join(ROOT, "target", "release", "pyreg")
    if args[:1] == ["--pyreg"]:
        pyreg, args = args[1], args[2:]
    programs = args or sorted(glob.glob(os.path.join(ROOT, "tests/programs/[0-9][0-9][0-9]_*.py")))
    rows = []
    for p in programs:
        r = subprocess.run(
            [pyreg, "stats", "--json", os.path.basename(p)],
            cwd=os.path.dirname(os.path.abspath(p)),
            capture_output=True,
            text=True,
        )
        last = r.stdout.strip().splitlines()[-1:] or [""]
        try:
            rows.append(json.loads(last[0]))
        except json.JSONDecodeError:
            print(f"| {os.path.basename(p)} | stats failed: {r.stderr.strip()[:80]} |")
    print("| program | stack executed | reg executed | ratio | reg moves % | stack moves % | code bytes ratio | same |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {os.path.basename(r['program'])} | {r['stack_executed']} | {r['reg_executed']} "
            f"| {r['ratio']:.3f} | {100 * r['reg_move_share']:.1f} | {100 * r['stack_move_share']:.1f} "
            f"| {r['code_size_ratio']:.3f} | {'yes' if r['same_behaviour'] else 'NO'} |"
        )
    if not rows:
        return 1
    S = sum(r["stack_executed"] for r in rows)
    R = sum(r["reg_executed"] for r in rows)
    RM = sum(r["reg_moves"] for r in rows)
    SM = sum(r["stack_moves"] for r in rows)
    SB = sum(r["stack_code_bytes"] for r in rows)
    RB = sum(r["reg_code_bytes"] for r in rows)
    print(
        f"| **all {len(rows)}** | {S} | {R} | **{R / S:.3f}** | **{100 * RM / R:.1f}** "
        f"| {100 * SM / S:.1f} | **{RB / SB:.3f}** | "
        f"{'yes' if all(r['same_behaviour'] for r in rows) else 'NO'} |"
    )
    sp = collections.Counter()
    rp = collections.Counter()
    for r in rows:
        sp.update(r["stack_profile"])
        rp.update(r["reg_profile"])
    print()
    print("Counterfactuals (extra register instructions executed without the choice, same runs):")
    for what, extra in [
        ("constants as operands (each LOAD_CONST an instruction)", sp["LOAD_CONST"]),
        ("locals as operands (each LOAD_FAST a MOVE)", sp["LOAD_FAST"]),
        (
            "fused compare-and-branch (comparison and branch apart)",
            rp["COMPARE_BRANCH_IF_FALSE"] + rp["COMPARE_BRANCH_IF_TRUE"],
        ),
        ("static exception table (SETUP_FINALLY, POP_BLOCK executed)", sp["SETUP_FINALLY"] + sp["POP_BLOCK"]),
    ]:
        print(f"- {what}: +{extra} → ratio {(R + extra) / S:.3f}")
    w = rp["~call-window moves (lower bound)"]
    print(
        f"- argument lists instead of contiguous call windows: windows would add at least {w} moves "
        f"→ ratio {(R + w) / S:.3f}, moves {100 * (RM + w) / (R + w):.1f}%"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
