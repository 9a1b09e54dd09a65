"""Benchmark: `optimize_plan` on a 10-year plan with 100 instruments (issue #13: <= 0.5 s on 2 cores).

Run: python benchmarks/bench_plan.py [--repeats N] [--years 10] [--size 100]

The case is bench_solve.py's seeded ¥10bn ladder case (cash, guarantees, an insurance tower of
overlapping layers, parametric cover, every policy limit) with a plan: phase-in from 20% to
100%, ¥1.5bn of set-aside capacity a year, premiums rising 3% a year, and a fifth of the
parametric covers interim (the first 3 years). "total" is the whole pipeline: the years'
cases and R_t, build, solve, collect, verify every year and the cash path, duals.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from bench_solve import random_case

from optimizer import check_case
from optimizer.plan.pipeline import optimize_plan


def plan_case(size: int, years: int, seed: int) -> dict[str, Any]:
    data: dict[str, Any] = random_case(size, seed)
    terms: dict[str, Any] = {}
    for index, item in enumerate(data["instruments"]):
        if item["kind"] == "insurance":
            terms[item["id"]] = {"price_trend": 0.03}
        elif item["kind"] == "parametric" and index % 5 == 0:
            terms[item["id"]] = {"interim": min(3, years)}
    data["plan"] = {
        "years": years,
        "requirement_fractions": [round(0.2 + 0.8 * t / max(years - 1, 1), 4) for t in range(years)],
        "max_set_aside": 1_500_000_000,
        "discount_rate": 0.03,
        "instruments": terms,
    }
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--size", type=int, default=100)
    args = parser.parse_args()
    case = check_case(plan_case(args.size, args.years, seed=13))
    optimize_plan(case)  # warm: imports, HiGHS banner
    totals, cpus, builds, solves = [], [], [], []
    for _ in range(args.repeats):
        started, cpu = time.perf_counter(), time.process_time()
        solution = optimize_plan(case)
        totals.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        builds.append(solution.timings.get("build", 0.0))
        solves.append(solution.timings.get("solve", 0.0))
    print(
        f"{args.years} years x {args.size} instruments: {solution.status}, "
        f"discounted cost {solution.discounted_cost or 0:,.0f}; median of {args.repeats}: "
        f"total {statistics.median(totals):.3f} s wall, {statistics.median(cpus):.3f} s CPU "
        f"(build {statistics.median(builds):.3f} s, solve {statistics.median(solves):.3f} s)"
    )


if __name__ == "__main__":
    main()
