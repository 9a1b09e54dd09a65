"""Benchmark: `reserve-opt rules` on the Japanese regime example, a grid of 16 candidate rules.

Run: python benchmarks/bench_rules.py [--repeats N] [--in-process]

By default it times the command as a user runs it, in a fresh Python process (start-up,
imports, loading and checking the case, 16 solves, the table): the target is under 5 s on a
2-core machine. ``--in-process`` times only the grid (``sweep_rules``) inside this process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from optimizer import load_case
from optimizer.workbench.rule_grid import check_variations, parse_vary, sweep_rules

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "data" / "examples" / "jp-midsize-regime.yaml"
VARY = ["insurance_share=0,0.25,0.5,0.75", "custody_rate=0.005,0.01,0.02,0.04"]
TARGET_SECONDS = 5.0


def command() -> list[str]:
    argv = [sys.executable, "-m", "optimizer.cli", "rules", str(CASE)]
    for item in VARY:
        argv += ["--vary", item]
    return argv


def time_command() -> float:
    started = time.perf_counter()
    subprocess.run(command(), check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def time_in_process() -> float:
    variations = parse_vary(VARY)
    started = time.perf_counter()
    case = load_case(CASE)
    check_variations(case, variations)
    points = sweep_rules(case, variations)
    elapsed = time.perf_counter() - started
    assert len(points) == 16 and all(point.status == "optimal" for point in points)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--in-process", action="store_true", help="time the grid only, not the command")
    args = parser.parse_args()
    measure = time_in_process if args.in_process else time_command
    what = "sweep_rules in process" if args.in_process else " ".join(["reserve-opt", *command()[3:]])
    times = [measure() for _ in range(args.repeats)]
    print(what)
    print(
        f"16 combinations: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
        f"over {args.repeats} runs on {os.cpu_count()} CPU(s); target < {TARGET_SECONDS:.0f} s"
    )


if __name__ == "__main__":
    main()
