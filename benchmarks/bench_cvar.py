"""Benchmark: the risk-constrained optimum against the textbook RU LP, and at 1M and 10M years.

Run: python benchmarks/bench_cvar.py [--per-year 0.15] [--limit 20e9] [--skip-10m]

One run, the same scenarios throughout (benchmarks/bench_risk.py's case: cash, 2 guarantees,
14 layers with aggregate limits, 3 parametric covers, ladder rows; 0.15 incidents a year,
seed 1, with a 1-in-100-year CVaR limit). Each part runs in a fresh process, so its peak
resident memory (ru_maxrss, the whole process) is its own:

- 10,000 and 100,000 years: the textbook RU LP (two variables and two rows per year, zero-loss
  years included, plus the regulatory rows of tests/independent_lp.py) handed to HiGHS through
  ``scipy.optimize.linprog`` as a prebuilt sparse matrix (the time is the solve alone), and
  the project's ``optimize`` on the same years (year table, reductions, cut loop, duals,
  verification by sorting every year, certificate); their ratio, and the two costs.
- 1,000,000 and 10,000,000 years: the project end to end (simulate, solve, verify).
- a 50-point frontier at 100,000 years (``trace_frontier``, every point verified).

Targets (issue #10, a 2-core machine): >= 20x faster than the textbook LP at 100,000 years;
1,000,000 years end to end <= 2 s; 10,000,000 <= 30 s within 8 GB; the frontier <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]


def _case(years: int, per_year: float, limit: float) -> Any:
    from bench_risk import bench_case

    from optimizer.case.checks import check_case

    data = bench_case(years, per_year)
    data["risk"] = {"level": 0.99, "max_cvar": limit}
    return check_case(data)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def textbook(years: int, per_year: float, limit: float) -> dict[str, float]:
    """The textbook RU LP on a prebuilt sparse matrix, solved by HiGHS (scipy); and the project's solve."""
    import numpy as np
    import scipy.sparse as sp
    from independent_lp import independent_rows
    from scipy.optimize import linprog

    from optimizer.case.terms import unit_amount
    from optimizer.coverage.pipeline import optimize
    from optimizer.risk.build import case_scenarios
    from optimizer.risk.payouts import payout_matrix
    from optimizer.risk.tail import case_defaults

    case = _case(years, per_year, limit)
    scen, _ = case_scenarios(case, None)
    requirement = float(case.requirement.amount)
    cost, rows, rhs, bounds = independent_rows(case)
    k_items = len(case.instruments)
    # Payout per unit of money bought in every year (zero rows for years without a loss).
    money = np.array([unit_amount(item) for item in case.instruments])
    paid = sp.lil_matrix((years, k_items))
    paid[scen.year - 1, :] = payout_matrix(scen, case, case_defaults(case, scen)) / money
    loss = np.zeros(years)
    loss[scen.year - 1] = scen.annual_loss
    eye = sp.identity(years, format="csr")
    zeros = sp.csr_matrix
    blocks = [
        sp.hstack([zeros(np.array(rows)), zeros((len(rows), 1 + 2 * years))]),
        sp.hstack([-paid.tocsr(), zeros((years, 1)), -eye, zeros((years, years))]),
        sp.hstack([zeros((years, k_items)), zeros(-np.ones((years, 1))), eye, -eye]),
    ]
    tail = np.zeros(k_items + 1 + 2 * years)
    tail[k_items] = 1.0
    tail[k_items + 1 + years :] = 1.0 / ((1 - 0.99) * years)
    blocks.append(zeros(tail))
    matrix = sp.vstack(blocks, format="csc")
    upper = np.concatenate([rhs, -loss / requirement, np.zeros(years), [limit / requirement]])
    objective = np.concatenate([cost, np.zeros(1 + 2 * years)])
    box = list(bounds) + [(None, None)] + [(0.0, None)] * (2 * years)
    started = time.perf_counter()
    result = linprog(objective, A_ub=matrix, b_ub=upper, bounds=box, method="highs")
    textbook_seconds = time.perf_counter() - started
    assert result.status == 0, result.message
    started = time.perf_counter()
    solution = optimize(case, scenarios=scen)
    project_seconds = time.perf_counter() - started
    return {
        "years": years,
        "loss_years": scen.loss_years,
        "textbook_s": textbook_seconds,
        "project_s": project_seconds,
        "textbook_cost": float(result.fun) * requirement,
        "project_cost": float(solution.total_cost or 0.0),
        "rounds": solution.risk_solve["rounds"],
        "peak_mb": _peak_mb(),
    }


def end_to_end(years: int, per_year: float, limit: float) -> dict[str, float]:
    """Simulate, solve with the CVaR limit, verify over all years: the project alone."""
    from optimizer.coverage.pipeline import optimize
    from optimizer.risk.build import case_scenarios

    case = _case(years, per_year, limit)
    started = time.perf_counter()
    scen, _ = case_scenarios(case, None)
    simulated = time.perf_counter()
    solution = optimize(case, scenarios=scen)
    done = time.perf_counter()
    assert solution.verified
    return {
        "years": years,
        "loss_years": scen.loss_years,
        "distinct_rows": solution.risk_solve["distinct_rows"],
        "simulate_s": simulated - started,
        "solve_s": done - simulated,
        "total_s": done - started,
        "rounds": solution.risk_solve["rounds"],
        "cost": float(solution.total_cost or 0.0),
        "cvar": solution.risk_limits[0].value,
        "peak_mb": _peak_mb(),
    }


def frontier(years: int, per_year: float, limit: float) -> dict[str, float]:
    """A 50-point frontier of CVaR at ``years`` years (every point verified)."""
    from optimizer.risk.build import case_scenarios
    from optimizer.workbench.frontier import trace_frontier

    case = _case(years, per_year, limit)
    scen, _ = case_scenarios(case, None)
    started = time.perf_counter()
    traced = trace_frontier(case, 50, scenarios=scen)
    return {
        "years": years,
        "seconds": time.perf_counter() - started,
        "optimal": sum(point.status == "optimal" for point in traced.points),
        "peak_mb": _peak_mb(),
    }


PARTS = {"textbook": textbook, "end_to_end": end_to_end, "frontier": frontier}


def _child(part: str, years: int, args: argparse.Namespace) -> dict[str, float]:
    command = [sys.executable, __file__, "--part", part, "--one", str(years)]
    command += ["--per-year", str(args.per_year), "--limit", str(args.limit)]
    return dict(json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-year", type=float, default=0.15)
    parser.add_argument("--limit", type=float, default=20e9, help="max_cvar in yen (default 20e9)")
    parser.add_argument("--skip-10m", action="store_true", help="leave out the 10,000,000-year run")
    parser.add_argument("--part", choices=list(PARTS), help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part is not None:
        print(json.dumps(PARTS[args.part](args.one, args.per_year, args.limit)))
        return
    print(f"CVaR 99% limit {args.limit:,.0f}; 20 instruments, ladder rows; {args.per_year} incidents a year, seed 1")
    print(f"\n{'years':>11}  {'loss years':>10}  {'textbook s':>10}  {'project s':>9}  {'ratio':>7}  "
          f"{'rel. cost diff':>14}")  # fmt: skip
    for years in (10_000, 100_000):
        row = _child("textbook", years, args)
        diff = abs(row["project_cost"] - row["textbook_cost"]) / max(row["textbook_cost"], 1.0)
        print(
            f"{years:>11,}  {row['loss_years']:>10,.0f}  {row['textbook_s']:>10.2f}  {row['project_s']:>9.3f}  "
            f"{row['textbook_s'] / row['project_s']:>6.0f}x  {diff:>14.1e}"
        )
    print(f"\n{'years':>11}  {'loss years':>10}  {'simulate s':>10}  {'solve+verify s':>14}  {'total s':>7}  "
          f"{'rounds':>6}  {'peak MB':>7}")  # fmt: skip
    for years in (1_000_000, *(() if args.skip_10m else (10_000_000,))):
        row = _child("end_to_end", years, args)
        print(
            f"{years:>11,}  {row['loss_years']:>10,.0f}  {row['simulate_s']:>10.2f}  {row['solve_s']:>14.2f}  "
            f"{row['total_s']:>7.2f}  {row['rounds']:>6.0f}  {row['peak_mb']:>7.0f}"
        )
    row = _child("frontier", 100_000, args)
    print(f"\n50-point frontier at 100,000 years: {row['seconds']:.2f} s ({row['optimal']:.0f} points optimal)")
    print("(times on this machine as it was; peak MB is the whole process's resident memory)")


if __name__ == "__main__":
    main()
