"""A large random case (2,000 instruments by default), to reproduce and time slow solves.

Run: python benchmarks/big_case.py [--instruments N] [--seed S] [--out FILE]
     reserve-opt solve FILE --time-limit 600

Issue #8 item 6: a valid 400 KB case with 2,000 instruments kept HiGHS busy for more than 15
minutes. The case is drawn by tests/random_cases.py (the generator of the cross-checks), with
its usual mix: every kind, layers with gaps and overlaps, triggers on breakpoints, thin
layers, every policy constraint, R anywhere from ¥1e5 to ¥1e13; only the count is large.
Written as JSON (a YAML file of this size loads far more slowly).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from random_cases import random_case  # noqa: E402


def big_case(instruments: int, seed: int, tight: bool = False, wild: bool = False) -> dict[str, Any]:
    """Raw data of one random valid case with ``instruments`` instruments.

    Cash that costs nothing (drawn with probability 5% per cash line) is given a cost of
    5%: with about 500 cash lines, one free line would otherwise answer every case at zero.
    ``wild`` redraws every parametric cover's unit across scales (payout from 1e-6 R to R,
    priced alike per unit of money, units enough for R), as the adversarial cases did.
    """
    rng = random.Random(seed)
    data = random_case(rng, count=instruments, tight=tight)
    requirement = data["requirement"]["amount"]
    for item in data["instruments"]:
        if item["kind"] == "cash" and item["cost_rate"] == 0:
            item["cost_rate"] = 0.05
        if wild and item["kind"] == "parametric":
            per_money = item["premium"] / item["payout"]
            item["payout"] = max(1, round(requirement * 10 ** rng.uniform(-6, 0)))
            item["premium"] = round(per_money * item["payout"], 6)
            item["max_units"] = max(1, round(requirement / item["payout"] * rng.uniform(0.1, 1.0)))
            item.pop("integer_units", None)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instruments", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--tight", action="store_true", help="the tight draw: every instrument capped")
    parser.add_argument("--wild", action="store_true", help="parametric units from 1e-6 R to R")
    parser.add_argument("--out", type=Path, default=Path("big-case.json"))
    args = parser.parse_args()
    data = big_case(args.instruments, args.seed, args.tight, args.wild)
    args.out.write_text(json.dumps(data, indent=1), encoding="utf-8")
    print(f"{args.out}: {args.instruments} instruments, R = {data['requirement']}, {args.out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
