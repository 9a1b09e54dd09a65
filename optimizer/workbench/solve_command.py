"""``reserve-opt solve CASE``: optimise a case and print the answer (table, JSON or CSV).

Kept out of optimizer/cli.py, which imports it only when the command runs (issue #12: the
command line's start-up). The risk modules are imported only for a case with scenarios.
"""

from __future__ import annotations

import argparse

from optimizer.case.loading import read_case
from optimizer.coverage.solution import Status
from optimizer.pricing.signals import optimize_priced
from optimizer.workbench.audit import utc_now
from optimizer.workbench.files import check_output_path, write_text_atomic
from optimizer.workbench.outcomes import answer_json
from optimizer.workbench.report import render_csv, render_table

EXIT_OK, EXIT_INFEASIBLE = 0, 3


def run_solve(args: argparse.Namespace) -> int:
    """Solve, print the answer (and its risk figures for a case with scenarios), write the audit."""
    started = utc_now()
    if args.audit is not None:  # before solving: a refused audit must not cost a solve
        check_output_path(args.audit, [args.case], "audit record")
    case, case_bytes = read_case(args.case)
    years = None
    if case.scenarios is not None:
        from optimizer.risk.build import case_scenarios

        years = case_scenarios(case, args.case.parent, source=str(args.case))
    solution = optimize_priced(case, args.solver, scenarios=years[0] if years else None, base_dir=args.case.parent)
    risk = None
    if years is not None and solution.status is Status.OPTIMAL:  # the same years the limits held over
        from optimizer.risk.figures import risk_report
        from optimizer.workbench.risk_view import solution_mix

        risk = risk_report(case, years[0], years[1], solution_mix(solution))
    document = solution.to_dict()
    if risk is not None:
        document["risk"] = risk.to_dict()
    answer = answer_json(document, "answer") if args.format == "json" else ""
    if args.audit is not None:  # before the answer: stdout then holds one document, answer or error
        from optimizer.workbench.audit import audit_record

        record = audit_record(case, case_bytes, solution, started, utc_now(), str(args.case))
        write_text_atomic(args.audit, answer_json(record, "audit record") + "\n", "audit record")
    if args.format == "json":
        print(answer)
    elif args.format == "csv":
        print(render_csv(solution), end="")
    else:
        print(render_table(solution))
        if risk is not None:
            from optimizer.workbench.risk_view import render_risk_table

            print(f"\n{render_risk_table(risk)}")
    return EXIT_OK if solution.status is Status.OPTIMAL else EXIT_INFEASIBLE
