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

from optimizer.case.errors import CaseError
from optimizer.case.loading import load_case
from optimizer.case.rulebook import RulebookError
from optimizer.case.schema import Case
from optimizer.coverage.pipeline import SolverError
from optimizer.coverage.solution import Status
from optimizer.coverage.solve import SolverName
from optimizer.pricing.signals import optimize_priced
from optimizer.rules.explain import breakdown_dict, render_requirement
from optimizer.rules.requirement import requirement_basis
from optimizer.workbench.audit import audit_record, utc_now
from optimizer.workbench.price_command import add_price_parser
from optimizer.workbench.report import render_csv, render_table
from optimizer.workbench.rule_grid import (
    VaryError,
    check_variations,
    parse_vary,
    render_grid_csv,
    render_grid_table,
    sweep_rules,
)

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
    except VaryError as error:
        print(f"reserve-opt rules: {error}", file=sys.stderr)
        return EXIT_INVALID
    except RulebookError as error:  # a fault in data/regimes/, not in the user's case
        print(f"reserve-opt: {error}", file=sys.stderr)
        return EXIT_INVALID


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

    requirement = commands.add_parser(
        "requirement", help="show how R is computed: terms, what binds, eligibility, assumptions and sources"
    )
    requirement.add_argument("case", type=Path)
    requirement.add_argument("--format", choices=["table", "json"], default="table")
    requirement.set_defaults(run=_requirement)

    rules = commands.add_parser(
        "rules", help="solve a case under every combination of candidate rule assumptions (a grid)"
    )
    rules.add_argument("case", type=Path)
    rules.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="NAME=v1,v2,...",
        help="a regime assumption (e.g. insurance_share) or constraints.<field>, and its values; repeatable",
    )
    rules.add_argument("--format", choices=["table", "csv"], default="table")
    rules.add_argument("--csv", type=Path, metavar="FILE", help="also write the grid as CSV to FILE")
    rules.add_argument("--solver", choices=[s.value for s in SolverName], default="highs")
    rules.set_defaults(run=_rules)

    incidents = commands.add_parser("incidents", help="summarise the exchange security incidents 2011-2025")
    incidents.set_defaults(run=_incidents)

    add_price_parser(commands)
    return parser


def _solve(args: argparse.Namespace) -> int:
    started = utc_now()
    case = load_case(args.case)
    solution = optimize_priced(case, args.solver)
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


def _requirement(args: argparse.Namespace) -> int:
    case = load_case(args.case)
    basis = requirement_basis(case)
    if args.format == "json":
        print(json.dumps(breakdown_dict(case, basis), indent=2, ensure_ascii=False))
    else:
        print(render_requirement(case, basis))
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    variations = parse_vary(args.vary)  # before loading: a typo needs no case to be reported
    case = load_case(args.case)
    check_variations(case, variations)
    points = sweep_rules(case, variations, args.solver)
    csv_text = render_grid_csv(points, variations)
    print(csv_text if args.format == "csv" else render_grid_table(points, variations, case.currency), end="")
    if args.format == "table":
        print()
    if args.csv is not None:
        try:
            args.csv.write_text(csv_text, encoding="utf-8")
        except OSError as error:
            print(f"reserve-opt: cannot write the grid to {args.csv}: {error.strerror}", file=sys.stderr)
            return EXIT_INVALID
    return EXIT_OK


def _incidents(args: argparse.Namespace) -> int:
    # pandas is slow to import and only this command needs it.
    from optimizer.risk.incidents import IncidentDataError, format_incident_summary, load_incidents, summarise_incidents

    try:
        print(format_incident_summary(summarise_incidents(load_incidents())))
    except IncidentDataError as error:
        print(f"reserve-opt: {error}", file=sys.stderr)
        return EXIT_INVALID
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
