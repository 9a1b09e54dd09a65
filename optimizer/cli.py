"""The ``reserve-opt`` command.

Exit codes: 0 optimal (or valid); 2 the case or the command line is invalid; 3 infeasible
(the answer still goes to stdout); 4 the solver did not prove a verified optimum.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from optimizer.audit import audit_record, utc_now
from optimizer.case import Case
from optimizer.errors import CaseError
from optimizer.loading import load_case
from optimizer.pipeline import SolverError, optimize
from optimizer.report import render_csv, render_table
from optimizer.solution import Status
from optimizer.solve import SolverName

EXIT_OK, EXIT_INVALID, EXIT_INFEASIBLE, EXIT_SOLVER = 0, 2, 3, 4


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except CaseError as error:
        print(error.describe(), file=sys.stderr)
        return EXIT_INVALID
    except SolverError as error:
        print(f"reserve-opt: {error}", file=sys.stderr)
        return EXIT_SOLVER


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reserve-opt",
        description="The cheapest mix of cash, guarantees, insurance and parametric cover "
        "that meets a crypto exchange's liability-reserve requirement.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    solve = commands.add_parser("solve", help="optimise a case and print the answer")
    solve.add_argument("case", type=Path, help="case file (YAML or JSON)")
    solve.add_argument("--format", choices=["table", "json", "csv"], default="table")
    solve.add_argument("--solver", choices=[s.value for s in SolverName], default="highs")
    solve.add_argument("--audit", type=Path, metavar="FILE", help="also write an audit record (JSON)")
    solve.set_defaults(run=_solve)

    validate = commands.add_parser("validate", help="check a case and report every problem")
    validate.add_argument("case", type=Path)
    validate.set_defaults(run=_validate)

    schema = commands.add_parser("schema", help="print the JSON Schema of case files")
    schema.set_defaults(run=_schema)
    return parser


def _solve(args: argparse.Namespace) -> int:
    started = utc_now()
    case = load_case(args.case)
    solution = optimize(case, args.solver)
    if args.format == "json":
        print(json.dumps(solution.to_dict(), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        print(render_csv(solution), end="")
    else:
        print(render_table(solution))
    if args.audit is not None:
        record = audit_record(case, args.case.read_bytes(), solution, started, utc_now(), str(args.case))
        try:
            args.audit.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as error:
            print(f"reserve-opt: cannot write the audit record to {args.audit}: {error.strerror}", file=sys.stderr)
            return EXIT_INVALID
    return EXIT_OK if solution.status is Status.OPTIMAL else EXIT_INFEASIBLE


def _validate(args: argparse.Namespace) -> int:
    case = load_case(args.case)
    print(f"{args.case}: valid case {case.name!r} ({len(case.instruments)} instruments, {case.currency})")
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(Case.model_json_schema(), indent=2))
    return EXIT_OK


def main_exit() -> None:
    """Console-script entry point."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into `head` and closed early: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    sys.exit(code)


if __name__ == "__main__":
    main_exit()
