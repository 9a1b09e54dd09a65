"""``reserve-opt risk CASE``: the risk of the optimal mix, or of a mix given with --mix.

Kept out of optimizer/cli.py so the command's arguments, progress and output live together.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_INFEASIBLE = 0, 3


def add_risk_parser(commands: Any, add_time_limit: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register the ``risk`` subcommand on the CLI's subparsers."""
    risk = commands.add_parser(
        "risk", help="loss scenarios: what a mix pays when the hack comes, and what is left uncovered"
    )
    risk.add_argument("case", type=Path)
    risk.add_argument("--mix", type=Path, metavar="MIX", help="id -> amount (YAML/JSON) or a solve JSON answer")
    risk.add_argument("--years", type=_years, metavar="N", help="simulated years (overrides scenarios.years)")
    risk.add_argument("--seed", type=_seed, metavar="S", help="random seed (overrides scenarios.seed)")
    risk.add_argument("--format", choices=["table", "json", "csv"], default="table")
    add_time_limit(risk)
    risk.set_defaults(run=run_risk)


def run_risk(args: argparse.Namespace) -> int:
    """Measure the mix and print its risk figures."""
    # Imported here, not at the top: registering the command (for --help) must stay cheap.
    from optimizer.case.loading import load_case
    from optimizer.coverage.pipeline import optimize
    from optimizer.coverage.solution import Status
    from optimizer.risk.mix import load_mix
    from optimizer.workbench.outcomes import answer_json
    from optimizer.workbench.risk_view import mix_risk, render_risk_csv, render_risk_table, solution_mix

    case = load_case(args.case)
    if args.mix is not None:
        amounts = load_mix(args.mix, case)
    else:
        solution = optimize(case, base_dir=args.case.parent)
        if solution.status is not Status.OPTIMAL:
            print(
                f"reserve-opt risk: {args.case} is infeasible, so there is no optimal mix to measure; "
                "run `reserve-opt solve` for the diagnosis, or pass --mix",
                file=sys.stderr,
            )
            if args.format == "json":  # one document on stdout, as solve gives: the infeasible answer
                print(answer_json(solution.to_dict(), "answer"))
            return EXIT_INFEASIBLE
        amounts = solution_mix(solution)
    progress = _stderr_progress if sys.stderr.isatty() else None
    report = mix_risk(case, amounts, args.case.parent, args.years, args.seed, progress, str(args.case))
    if args.format == "json":
        print(answer_json(report.to_dict(), "risk answer"))
    elif args.format == "csv":
        print(render_risk_csv(report), end="")
    else:
        print(render_risk_table(report))
    return EXIT_OK


def _stderr_progress(done: float, words: str) -> None:
    print(f"\r{words} ({done:.0%})", end="\n" if done >= 1 else "", file=sys.stderr, flush=True)


def _years(text: str) -> int:
    from optimizer.case.scenarios_schema import MAX_YEARS  # pydantic: only when --years is given

    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        msg = f"must be a whole number of years (got {text!r})"
        raise argparse.ArgumentTypeError(msg) from None
    if not 1 <= value <= MAX_YEARS:
        msg = f"must be from 1 to {MAX_YEARS:,} years (got {value:,}); the bound keeps time and memory in check"
        raise argparse.ArgumentTypeError(msg)
    return value


def _seed(text: str) -> int:
    if not text.isdigit():
        msg = f"must be a whole number of zero or more (got {text!r})"
        raise argparse.ArgumentTypeError(msg)
    return int(text)
