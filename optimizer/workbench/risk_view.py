"""The risk of an optimised (or typed-in) mix, for the CLI and the app, and its text forms.

The glue between an optimised ``Solution`` and the risk figures lives here, above both
``coverage`` and ``risk``: ``solution_mix`` reads the money bought from an answer,
``mix_risk`` simulates (or reads) the case's years and evaluates the mix; ``render_risk_table``
and ``render_risk_csv`` are the ``reserve-opt risk`` outputs (the JSON form is
``RiskReport.to_dict``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

from optimizer.case.money import money, percent, short_money
from optimizer.case.schema import Case
from optimizer.coverage.solution import Solution
from optimizer.risk.build import case_scenarios
from optimizer.risk.figures import RiskReport, risk_report
from optimizer.risk.simulate import Progress


def solution_mix(solution: Solution) -> dict[str, float]:
    """Money bought per instrument (``allocations[].amount``)."""
    return {item.id: item.amount for item in solution.allocations}


def mix_risk(
    case: Case,
    amounts: Mapping[str, float],
    base_dir: Path | None,
    years: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    source: str = "the case",
) -> RiskReport:
    """The risk figures of the mix ``amounts`` over the case's scenarios (or the default model's)."""
    scenarios, spec = case_scenarios(case, base_dir, years, seed, progress, source)
    return risk_report(case, scenarios, spec, amounts)


def render_risk_table(report: RiskReport) -> str:
    """The risk figures as text a CFO can read."""
    cur = report.currency
    level = report.level
    lines = [
        f"Risk of the mix over {report.source}",
        f"  expected annual loss       {money(report.expected_loss, cur)}",
        f"  expected uncovered loss    {money(report.expected_uncovered, cur)}",
        f"  P(any loss in a year)      {percent(report.probability_loss)}",
        f"  P(any uncovered loss)      {percent(report.probability_uncovered)}",
        f"  VaR {percent(level):>6} uncovered   {money(report.var, cur)}",
        f"  CVaR {percent(level):>6} uncovered  {money(report.cvar, cur)}",
    ]
    for check in report.limits:
        verdict = "met" if check.met else "NOT met"
        lines.append(f"  limit {check.name} {money(check.limit, cur)}: {verdict} ({money(check.value, cur)})")
    if report.limits:
        lines.append("  (`reserve-opt solve` holds these limits; here they are checked against this mix)")
    lines += ["", "Return period (years)   annual loss      uncovered        largest incident"]
    for row in report.return_periods:
        lines.append(
            f"  1 in {row.years:<6,}  {short_money(row.annual_loss, cur):>14}  {short_money(row.uncovered, cur):>14}"
            f"  {short_money(row.largest_incident, cur):>14}"
        )
    lines += ["", "Expected annual recovery and loss ratio (expected payout / premium)"]
    for item, value in report.expected_recovery.items():
        ratio = report.loss_ratio.get(item)
        words = "" if ratio is None else f"   loss ratio {ratio:.2f}"
        lines.append(f"  {item:<16} {money(value, cur):>18}  (mix {short_money(report.mix[item], cur)}){words}")
    if report.default_added:
        lines += ["", "Expected uncovered loss a counterparty's default would add (a year it pays nothing)"]
        lines += [f"  {name:<20} {money(value, cur)}" for name, value in report.default_added.items()]
    if report.stress:
        lines += ["", "Historical incidents replayed against the mix"]
        for incident in report.stress:
            capped = " (capped)" if incident.capped else ""
            lines.append(
                f"  {incident.date}  {incident.exchange[:28]:<28} loss {short_money(incident.loss, cur):>9}{capped}  "
                f"uncovered {short_money(incident.uncovered, cur):>9}"
            )
    lines += ["", *(f"Note: {note}" for note in report.notes)]
    return "\n".join(lines)


def render_risk_csv(report: RiskReport) -> str:
    """The exceedance table, recoveries and stress rows as one CSV (section, name, fields)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "name", "value", "uncovered", "largest_incident"])
    for key in ("expected_loss", "expected_uncovered", "probability_uncovered", "var", "cvar"):
        writer.writerow(["summary", key, getattr(report, key), "", ""])
    for row in report.return_periods:
        writer.writerow(["return_period", row.years, row.annual_loss, row.uncovered, row.largest_incident])
    for item, value in report.expected_recovery.items():
        writer.writerow(["expected_recovery", item, value, "", ""])
    for item, ratio in report.loss_ratio.items():
        writer.writerow(["loss_ratio", item, "" if ratio is None else ratio, "", ""])
    for stress in report.stress:
        writer.writerow(["stress", f"{stress.date} {stress.exchange}", stress.loss, stress.uncovered, ""])
    return out.getvalue()
