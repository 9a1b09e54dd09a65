"""Whole-command times of the CLI, as a user feels them (a fresh Python process each time).

    python benchmarks/bench_cli.py [--runs 9]

Times ``reserve-opt --help`` and ``reserve-opt solve`` of the mid-size example (and, for
reference, a bare ``python -c pass``): median and best of ``--runs``. Targets (issue #12):
``--help`` <= 0.15 s, ``solve`` <= 0.4 s. The machine is shared: say so when quoting figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "data" / "examples" / "jp-midsize.yaml"
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "reserve-opt --help": [sys.executable, "-m", "optimizer.cli", "--help"],
    "reserve-opt solve jp-midsize.yaml": [sys.executable, "-m", "optimizer.cli", "solve", str(EXAMPLE)],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print("load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for name, command in COMMANDS.items():
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - started)
        print(f"{name}: median {statistics.median(times):.3f} s, best {min(times):.3f} s (n={args.runs})")
    print("load average (1, 5, 15 min) at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
