"""Benchmark: simulate S years and evaluate a 20-instrument mix (time and peak memory).

Run: python benchmarks/bench_risk.py [--years 100000,1000000,10000000] [--per-year 0.15]

Each size runs in a fresh Python process so that its peak resident memory (ru_maxrss, the
whole process: interpreter, numpy, pandas and the arrays) is its own. "simulate" draws the
years (Poisson counts, lognormal severities, two attack vectors with caps); "evaluate" is
``risk_report`` without the stress replay: default draws, the payout matrix in blocks, the
uncovered loss of every year, recoveries, default impact, VaR/CVaR and the exceedance table.
The case has cash, 2 guarantees, 14 insurance layers (with aggregate limits) and 3 parametric
covers; the frequency is the case format's example, 0.15 a year (about 7x the calibrated
model's), so the number of loss years is large. Targets (issue #9, 2 cores): 1,000,000 years
in <= 1 s; 10,000,000 in <= 15 s within 4 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def bench_case(years: int, per_year: float) -> dict[str, object]:
    instruments: list[dict[str, object]] = [
        {"id": "cash", "kind": "cash", "cost_rate": 0.05},
        {"id": "lc-a", "kind": "guarantee", "counterparty": "Bank A", "fee_rate": 0.012},
        {"id": "lc-b", "kind": "guarantee", "counterparty": "Bank B", "fee_rate": 0.015},
    ]
    for index in range(14):
        instruments.append(
            {
                "id": f"xl-{index}",
                "kind": "insurance",
                "counterparty": f"Insurer {index % 5}",
                "attachment": 500_000_000 * (index + 1),
                "limit": 1_000_000_000 + 250_000_000 * index,
                "premium_rate": 0.05 / (1 + index),
                "aggregate_limit": 2 * (1_000_000_000 + 250_000_000 * index),
            }
        )
    for index in range(3):
        instruments.append(
            {
                "id": f"cat-{index}",
                "kind": "parametric",
                "counterparty": f"Dealer {index}",
                "trigger": 2_000_000_000 * (index + 1),
                "payout": 1_000_000_000,
                "premium": 40_000_000,
                "max_payouts_per_year": 2,
            }
        )
    return {
        "name": "risk benchmark",
        "currency": "JPY",
        "requirement": {"amount": 10_000_000_000},
        "exchange": {"client_crypto_hot": 40_000_000_000, "client_crypto_cold": 760_000_000_000},
        "instruments": instruments,
        "scenarios": {
            "years": years,
            "seed": 1,
            "frequency": {"per_year": per_year},
            "severity": {"distribution": "lognormal", "median": 2_000_000_000, "sigma": 1.8},
            "vectors": [
                {"name": "online", "share": 0.85, "exposes": ["client_crypto_hot"]},
                {"name": "vendor", "share": 0.15, "exposes": ["client_crypto_hot", "client_crypto_cold"]},
            ],
            "default_probability": {"Insurer 0": 0.01, "Dealer 1": 0.02},
        },
    }


def run_one(years: int, per_year: float) -> dict[str, float]:
    from optimizer.case.checks import check_case
    from optimizer.risk.build import case_scenarios
    from optimizer.risk.figures import risk_report

    case = check_case(bench_case(years, per_year))
    mix = {item.id: 1.0 if item.kind == "cash" else 0.0 for item in case.instruments}
    mix.update({"cash": 3e9, "lc-a": 1e9, "lc-b": 1e9})
    mix.update({f"xl-{i}": 0.5 * (1_000_000_000 + 250_000_000 * i) for i in range(14)})
    mix.update({f"cat-{i}": 1e9 for i in range(3)})
    started = time.perf_counter()
    scenarios, spec = case_scenarios(case, None)
    simulated = time.perf_counter()
    report = risk_report(case, scenarios, spec, mix, with_stress=False)
    done = time.perf_counter()
    return {
        "years": years,
        "loss_years": scenarios.loss_years,
        "incidents": scenarios.incidents,
        "simulate": simulated - started,
        "evaluate": done - simulated,
        "total": done - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cvar": report.cvar,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", default="100000,1000000,10000000")
    parser.add_argument("--per-year", type=float, default=0.15)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(run_one(args.one, args.per_year)))
        return
    print(f"{'years':>11}  {'loss years':>10}  {'simulate s':>10}  {'evaluate s':>10}  {'total s':>8}  {'peak MB':>8}")
    for years in (int(y) for y in args.years.split(",")):
        child = [sys.executable, __file__, "--one", str(years), "--per-year", str(args.per_year)]
        row = json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout)
        print(
            f"{row['years']:>11,}  {row['loss_years']:>10,}  {row['simulate']:>10.2f}  {row['evaluate']:>10.2f}  "
            f"{row['total']:>8.2f}  {row['peak_mb']:>8.0f}"
        )
    print(f"(20 instruments, {args.per_year} incidents a year; peak MB is the whole process's resident memory)")


if __name__ == "__main__":
    main()
