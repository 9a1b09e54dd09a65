"""Benchmark: build, solve and total time of `optimize` on random cases of 10, 100, 1,000 instruments.

Run: python benchmarks/bench_solve.py [--repeats N] [--solver highs|cbc]

Cases are seeded and realistic in shape: a ¥10bn-scale ladder requirement, cash, a few
guarantees, an insurance tower of overlapping layers from many counterparties, parametric
cover, and every policy limit. "total" is the whole pipeline (requirement, build, solve,
collect, verify, prices, ladder chart), as a user of the CLI or the app would wait for it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from optimizer import check_case, optimize


def random_case(size: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    requirement = 10_000_000_000
    instruments: list[dict[str, object]] = [{"id": "cash", "kind": "cash", "cost_rate": 0.05}]
    for index in range(size - 1):
        kind = rng.choices(["insurance", "guarantee", "parametric"], weights=[7, 2, 1])[0]
        counterparty = f"CP{rng.randrange(max(3, size // 4))}"
        common = {"id": f"i{index}", "counterparty": counterparty, "payout_days": rng.choice([5, 10, 30, 90])}
        if kind == "insurance":
            attachment = round(rng.uniform(0, 6_000_000_000), -6)  # distinct quotes: many ladder rows
            instruments.append(
                {
                    **common,
                    "kind": "insurance",
                    "attachment": attachment,
                    "limit": round(rng.uniform(250_000_000, 4_000_000_000), -6),
                    "premium_rate": round(rng.uniform(0.005, 0.08), 4),
                    "max_share": rng.choice([0.25, 0.5, 1.0]),
                }
            )
        elif kind == "guarantee":
            instruments.append(
                {
                    **common,
                    "kind": "guarantee",
                    "fee_rate": round(rng.uniform(0.008, 0.03), 4),
                    "max_amount": rng.randrange(1, 6) * 200_000_000,
                }
            )
        else:
            instruments.append(
                {
                    **common,
                    "kind": "parametric",
                    "trigger": rng.randrange(1, 20) * 500_000_000,
                    "payout": 500_000_000,
                    "premium": rng.randrange(10, 60) * 1_000_000,
                    "max_units": rng.randrange(1, 5),
                    "credit": 0.5,
                }
            )
    return {
        "name": f"benchmark {size}",
        "currency": "JPY",
        "requirement": {"amount": requirement},
        "instruments": instruments,
        "constraints": {
            "min_cash_fraction": 0.1,
            "max_counterparty_fraction": 0.6,
            "max_insurance_fraction": 0.7,
            "liquidity": {"days": 30, "min_fraction": 0.3},
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--solver", default="highs")
    parser.add_argument("--sizes", default="10,100,1000")
    args = parser.parse_args()
    print(f"{'instruments':>11}  {'build ms':>9}  {'solve ms':>9}  {'total ms':>9}  {'max total':>9}  status")
    for size in (int(s) for s in args.sizes.split(",")):
        builds, solves, totals, statuses = [], [], [], set()
        for seed in range(args.repeats):
            case = check_case(random_case(size, seed), f"benchmark {size}")
            started = time.perf_counter()
            solution = optimize(case, args.solver)
            totals.append(time.perf_counter() - started)
            builds.append(solution.timings.get("build", float("nan")))
            solves.append(solution.timings.get("solve", float("nan")))
            statuses.add(str(solution.status))
        print(
            f"{size:>11}  {statistics.median(builds) * 1e3:>9.1f}  {statistics.median(solves) * 1e3:>9.1f}  "
            f"{statistics.median(totals) * 1e3:>9.1f}  {max(totals) * 1e3:>9.1f}  {','.join(sorted(statuses))}"
        )
    print(f"(median of {args.repeats} seeded cases per size; solver {args.solver})")


if __name__ == "__main__":
    main()
