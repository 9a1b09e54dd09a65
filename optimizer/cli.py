"""The ``reserve-opt`` command.

Exit codes: 0 optimal (or valid); 2 the case or the command line is invalid; 3 infeasible
(the answer still goes to stdout); 4 the solver did not prove a verified optimum.
"""

from __future__ import annotations

import argparse
import atexit
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

# Only what builds the command line is imported here: each command imports what it needs when it
# runs, so `reserve-opt --help` imports no pydantic, PuLP, HiGHS, numpy or pandas (issue #12;
# tests/test_cli_imports.py holds it to that).
from optimizer.coverage.options import DEFAULT_TIME_LIMIT, MAX_TIME_LIMIT, Measure, SolverName, time_limit_for_solves
from optimizer.workbench.frontier_points import DEFAULT_POINTS
from optimizer.workbench.frontier_points import point_count as _points
from optimizer.workbench.outcomes import error_object, invalid_object, strict_json, wants_json
from optimizer.workbench.price_command import add_price_parser
from optimizer.workbench.refusals import refusal
from optimizer.workbench.risk_command import add_risk_parser

EXIT_OK, EXIT_INVALID, EXIT_INFEASIBLE, EXIT_SOLVER = 0, 2, 3, 4


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    With ``--format json`` every outcome is one JSON document on stdout: the answer, or the
    error object of ``optimizer.workbench.outcomes`` for exits 2 and 4 (stderr says the same).
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(argv)
    except _UsageError as error:  # argparse's own message and exit code, plus JSON if asked for
        sys.stderr.write(error.text)
        return _failed(wants_json(argv), EXIT_INVALID, invalid_object([error.message]))
    as_json = getattr(args, "format", None) == "json"
    try:
        with time_limit_for_solves(getattr(args, "time_limit", None)):
            return int(args.run(args))
    except Exception as error:
        refused = refusal(error)
        if refused is None:  # not an error the user can fix: a fault of ours, with its traceback
            raise
        print(refused.message, file=sys.stderr)
        return _failed(as_json, refused.code, refused.document)


def _failed(as_json: bool, code: int, document: dict[str, object]) -> int:
    if as_json:
        print(strict_json(document))
    return code


class _UsageError(Exception):
    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.message, self.text = message, text


class _ArgumentParser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so ``main`` can also answer in JSON."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message, f"{self.format_usage()}{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(
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
    _add_time_limit(solve)
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
    _add_time_limit(rules)
    rules.set_defaults(run=_rules)

    add_risk_parser(commands, _add_time_limit)

    frontier = commands.add_parser(
        "frontier", help="the cheapest annual cost at each limit on the CVaR (or expected uncovered loss)"
    )
    frontier.add_argument("case", type=Path)
    frontier.add_argument("--points", type=_points, default=DEFAULT_POINTS, metavar="N", help="points (2 to 500)")
    frontier.add_argument("--measure", choices=[m.value for m in Measure], default="cvar")
    frontier.add_argument("--format", choices=["table", "json", "csv"], default="table")
    frontier.add_argument("--solver", choices=[s.value for s in SolverName], default="highs")
    _add_time_limit(frontier)
    frontier.set_defaults(run=_frontier)

    plan = commands.add_parser("plan", help="optimise a case's multi-year transition plan (its plan: section)")
    plan.add_argument("case", type=Path, help="case file (YAML or JSON) with a plan: section")
    plan.add_argument("--format", choices=["table", "json", "csv"], default="table")
    plan.add_argument("--solver", choices=[s.value for s in SolverName], default="highs")
    _add_time_limit(plan)
    plan.set_defaults(run=_plan)

    report = commands.add_parser("report", help="write the board report of a case (HTML or PDF, by --out's suffix)")
    report.add_argument("case", type=Path)
    report.add_argument("--out", type=Path, required=True, metavar="FILE", help="report.html or report.pdf")
    report.add_argument("--lang", choices=["en", "ja"], default="en", help="language of the report (default en)")
    report.add_argument("--oku", action=argparse.BooleanOptionalAction, default=None,
                        help="yen in 億円/兆円 (default: in Japanese reports)")
    report.add_argument("--frontier", type=_report_points, default=None, metavar="N",
                        help="cost-risk frontier points, 2 to 100 (0: none; default 20 if the case has risk:)")
    report.add_argument("--solver", choices=[s.value for s in SolverName], default="highs")
    _add_time_limit(report)
    report.set_defaults(run=_report)

    incidents = commands.add_parser("incidents", help="summarise the exchange security incidents 2011-2025")
    incidents.set_defaults(run=_incidents)

    add_price_parser(commands)
    return parser


def _report_points(text: str) -> int:
    from optimizer.workbench.report_risk import points_option  # the report's modules load on use

    return points_option(text)


def _add_time_limit(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--time-limit",
        type=_seconds,
        default=DEFAULT_TIME_LIMIT,
        metavar="SECONDS",
        help=f"stop any one solve after this long and exit 4 (default {DEFAULT_TIME_LIMIT:g}; "
        f"at most {MAX_TIME_LIMIT:,})",
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= MAX_TIME_LIMIT:  # also refuses nan and inf
        msg = f"must be a number of seconds above 0 and at most {MAX_TIME_LIMIT:,} (got {text[:40]!r})"
        raise argparse.ArgumentTypeError(msg)
    return value


def _solve(args: argparse.Namespace) -> int:
    from optimizer.workbench.solve_command import run_solve

    return run_solve(args)


def _report(args: argparse.Namespace) -> int:
    # Imported here: only this command needs the report renderers (ReportLab is a large import).
    from optimizer.case.loading import load_case
    from optimizer.coverage.solution import Status
    from optimizer.workbench.audit import utc_now
    from optimizer.workbench.files import check_output_path, write_text_atomic
    from optimizer.workbench.report_html import report_html
    from optimizer.workbench.report_pdf import report_pdf
    from optimizer.workbench.report_risk import solve_and_report

    suffix = args.out.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        print(f"reserve-opt report: --out must end in .html or .pdf (got {str(args.out)!r})", file=sys.stderr)
        return EXIT_INVALID
    check_output_path(args.out, [args.case], "report")  # never over the case file
    case = load_case(args.case)
    solution, report = solve_and_report(case, args.lang, generated=utc_now(), solver=args.solver, oku=args.oku,
                                        base_dir=args.case.parent, points=args.frontier)
    if suffix == ".pdf":
        content = report_pdf(report)
        partial = args.out.with_name(f".{args.out.name}.partial")
        try:
            partial.write_bytes(content)
            os.replace(partial, args.out)  # whole or not at all
        except OSError as error:
            print(f"reserve-opt report: cannot write {args.out}: {error.strerror}", file=sys.stderr)
            return EXIT_INVALID
        size = len(content)
    else:
        text = report_html(report)
        write_text_atomic(args.out, text, "report")
        size = len(text.encode("utf-8"))
    print(f"{args.out}: board report of {case.name!r} ({solution.status}), {size:,} bytes")
    return EXIT_OK if solution.status is Status.OPTIMAL else EXIT_INFEASIBLE


def _validate(args: argparse.Namespace) -> int:
    from optimizer.case.errors import shown
    from optimizer.case.loading import load_case
    from optimizer.case.names import merged_spellings, spelling_words

    case = load_case(args.case)
    years = None
    if case.scenarios is not None or case.risk is not None:
        # The years a risk run or a risk limit would use: a bad events table is found here.
        from optimizer.risk.build import check_scenarios

        years = check_scenarios(case, args.case.parent, str(args.case))
    print(f"{args.case}: valid case {shown(case.name)} ({len(case.instruments)} instruments, {case.currency})")
    for name, spellings in merged_spellings(item.counterparty for item in case.instruments).items():
        print(f"note: {spelling_words(spellings)} are one counterparty, {name} (one cap for all)")
    if years is not None:
        print(f"scenarios: {years}")
    return EXIT_OK


def _requirement(args: argparse.Namespace) -> int:
    from optimizer.case.loading import load_case
    from optimizer.rules.explain import breakdown_dict, render_requirement
    from optimizer.rules.requirement import requirement_basis

    case = load_case(args.case)
    basis = requirement_basis(case)
    if args.format == "json":
        print(json.dumps(breakdown_dict(case, basis), indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(render_requirement(case, basis))
    return EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    from optimizer.case.loading import load_case
    from optimizer.workbench.files import check_output_path, write_text_atomic
    from optimizer.workbench.rule_grid import (
        check_variations,
        parse_vary,
        render_grid_csv,
        render_grid_table,
        sweep_rules,
    )

    variations = parse_vary(args.vary)  # before loading: a typo needs no case to be reported
    if args.csv is not None:
        check_output_path(args.csv, [args.case], "grid")
    case = load_case(args.case)
    check_variations(case, variations)
    points = sweep_rules(case, variations, args.solver)
    csv_text = render_grid_csv(points, variations)
    print(csv_text if args.format == "csv" else render_grid_table(points, variations, case.currency), end="")
    if args.format == "table":
        print()
    if args.csv is not None:
        write_text_atomic(args.csv, csv_text, "grid")
    return EXIT_OK


def _frontier(args: argparse.Namespace) -> int:
    from optimizer.case.loading import load_case
    from optimizer.workbench.frontier import FrontierError, trace_frontier
    from optimizer.workbench.frontier_view import render_frontier_csv, render_frontier_table
    from optimizer.workbench.outcomes import answer_json

    case = load_case(args.case)
    try:
        result = trace_frontier(case, args.points, args.measure, base_dir=args.case.parent, solver=args.solver)
    except FrontierError as error:
        print(f"reserve-opt frontier: {error}", file=sys.stderr)
        return _failed(args.format == "json", EXIT_INFEASIBLE, error_object(str(error)))
    if args.format == "json":
        print(answer_json(result.to_dict(), "frontier"))
    elif args.format == "csv":
        print(render_frontier_csv(result), end="")
    else:
        print(render_frontier_table(result))
    return EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    from optimizer.case.errors import CaseError, Problem
    from optimizer.case.loading import load_case
    from optimizer.coverage.solution import Status
    from optimizer.plan.pipeline import optimize_plan
    from optimizer.workbench.outcomes import answer_json
    from optimizer.workbench.plan_report import render_plan_csv, render_plan_table

    case = load_case(args.case)
    if case.plan is None:
        fix = "add e.g. plan: {years: 4, requirement_fractions: [0.25, 0.5, 0.75, 1.0], max_set_aside: 2_000_000_000}"
        raise CaseError([Problem("plan", f"is required by `reserve-opt plan` (got nothing); {fix}")], str(args.case))
    solution = optimize_plan(case, args.solver)
    if args.format == "json":
        print(answer_json(solution.to_dict(), "plan"))
    elif args.format == "csv":
        print(render_plan_csv(solution), end="")
    else:
        print(render_plan_table(solution))
    return EXIT_OK if solution.status is Status.OPTIMAL else EXIT_INFEASIBLE


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
    from optimizer.case.schema import Case

    print(json.dumps(Case.model_json_schema(), indent=2, allow_nan=False))
    return EXIT_OK


def main_exit() -> None:
    """Console-script entry point."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into `head` and closed early: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    _exit(code)


def _exit(code: int) -> NoReturn:
    """End the process, skipping the interpreter's teardown when no other thread runs.

    The teardown frees every module and object one by one: about 0.1 s once numpy, pydantic
    and PuLP are loaded (issue #12), where the operating system reclaims it all at once. The
    atexit handlers still run and the standard streams are flushed first; with another thread
    alive (a dask cluster's), the ordinary exit.
    """
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main_exit()
