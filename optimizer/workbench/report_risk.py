"""The board report's risk figures and cost-risk frontier (issue #12 item 14), as report blocks.

Where they exist (the rule the report and the README state):

- **Risk figures** appear for every optimal mix, as on the Risk page. The years are the case's
  own ``scenarios:`` (simulated with its seed, or its year-event table): the same years over
  which the optimum held any ``risk:`` limit, so a limit shown as met was met over exactly these
  years. A case without ``scenarios:`` is measured with the project's calibrated default loss
  model (``DEFAULT_YEARS`` years, seed 0), and the report says so in the section's first lines:
  a regulator must not read an industry-wide default as the exchange's own assessment. When no
  figures can be made (no mix; the default model cannot be converted into the case currency),
  the section says why instead.
- **The frontier** (cheapest annual cost against the CVaR of the uncovered loss) appears when
  the case has a ``risk:`` section (its board set a risk appetite), with ``DEFAULT_POINTS``
  points, or for any case when asked for (``reserve-opt report --frontier N``; 0 leaves it out).

The work is bounded: the years by the case format (``scenarios.years`` at most MAX_YEARS, the
default 100,000), the frontier by ``MAX_POINTS`` verified solves, the incident replay by the
table's 37 rows (the report lists the ``STRESS_ROWS`` largest).
"""

from __future__ import annotations

from argparse import ArgumentTypeError
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from optimizer.case.errors import CaseError
from optimizer.case.money import percent
from optimizer.case.schema import Case
from optimizer.coverage.pipeline import SolverError
from optimizer.coverage.solution import Solution, Status
from optimizer.coverage.solve import SolverName
from optimizer.pricing.signals import optimize_priced
from optimizer.risk.build import DEFAULT_YEARS, case_scenarios, settings_of
from optimizer.risk.figures import RiskReport, risk_report
from optimizer.risk.loss_models import LossModelError, load_loss_model
from optimizer.risk.model import LossSpec
from optimizer.risk.scenarios import Scenarios
from optimizer.workbench.board_report import Block, Figures, Heading, Paragraph, Report, Table, board_report
from optimizer.workbench.board_report import money_formats as _money_formats
from optimizer.workbench.frontier import Frontier, FrontierError, trace_frontier
from optimizer.workbench.i18n import text
from optimizer.workbench.report_assumptions import assumption_rows
from optimizer.workbench.report_frontier import frontier_blocks
from optimizer.workbench.risk_view import solution_mix

DEFAULT_POINTS = 20
"""Frontier points in a report of a case with a ``risk:`` section: a table a board reads."""
MAX_POINTS = 100
"""The most frontier points a report may ask for (each is a verified solve, each a table row)."""
STRESS_ROWS = 10
"""Historical incidents listed (the largest losses); the sentence above them counts all."""


@dataclass(frozen=True)
class RiskEvidence:
    """What the report's risk sections show, or why each is missing."""

    report: RiskReport | None
    spec: LossSpec | None
    """The frequency / severity model simulated (None for an events table or no figures)."""
    own_model: bool
    """The case has a ``scenarios:`` section (else the default loss model was used)."""
    missing: str
    """Why there are no risk figures ("" when there are)."""
    frontier: Frontier | None
    frontier_missing: str
    """Why there is no frontier although one was due ("" otherwise)."""
    points: int
    """Frontier points asked for (0: none due)."""


def frontier_points(case: Case, points: int | None) -> int:
    """The frontier points of a report: ``points`` if given (0 for none), else the rule's default."""
    if points is not None:
        return points
    return DEFAULT_POINTS if case.risk is not None else 0


def points_option(value: str) -> int:
    """The CLI's ``report --frontier N``: 0 (no frontier) or 2 to MAX_POINTS (argparse type)."""
    if not value.isdigit() or (int(value) != 0 and not 2 <= int(value) <= MAX_POINTS):
        msg = (f"must be 0 (no frontier) or a whole number from 2 to {MAX_POINTS} (got {value[:40]!r}); "
               "each point is a verified solve and a row of the report's table")
        raise ArgumentTypeError(msg)
    return int(value)


def gather_risk(
    case: Case,
    solution: Solution,
    base_dir: Path | None,
    scenarios: tuple[Scenarios, LossSpec | None] | None = None,
    points: int | None = None,
) -> RiskEvidence:
    """Measure the optimal mix and trace the frontier; never raises for a case's risk problems.

    ``scenarios`` are the case's years when the caller already has them (the CLI builds them
    once for the solve and the report); else they are simulated (or read) here.
    """
    count = frontier_points(case, points)
    own = case.scenarios is not None
    if solution.status is not Status.OPTIMAL:
        return RiskEvidence(None, None, own, "infeasible", None, "infeasible" if count else "", count)
    try:
        years, spec = scenarios if scenarios is not None else case_scenarios(case, base_dir)
        report = risk_report(case, years, spec, solution_mix(solution))  # the replay needs a USD rate
    except (CaseError, LossModelError) as error:
        reason = error.describe() if isinstance(error, CaseError) else str(error)
        return RiskEvidence(None, None, own, reason, None, reason if count else "", count)
    frontier, why = None, ""
    if count:
        try:
            frontier = trace_frontier(case, count, "cvar", years, base_dir)
        except (FrontierError, SolverError, CaseError) as error:
            why = error.describe() if isinstance(error, CaseError) else str(error)
    return RiskEvidence(report, spec, own, "", frontier, why, count)


def solve_and_report(
    case: Case,
    language: str = "en",
    *,
    generated: datetime,
    solver: SolverName | str = SolverName.HIGHS,
    oku: bool | None = None,
    base_dir: Path | None = None,
    points: int | None = None,
) -> tuple[Solution, Report]:
    """Solve the case as ``reserve-opt solve`` does and make its full board report.

    The case's own years are built once, for the risk limits and the figures alike; a broken
    ``scenarios:`` section raises CaseError (exit 2), as it does for ``solve``.
    """
    years = case_scenarios(case, base_dir) if case.scenarios is not None else None
    solution = optimize_priced(case, solver, scenarios=years[0] if years else None, base_dir=base_dir)
    evidence = gather_risk(case, solution, base_dir, years, points)
    return solution, board_report(case, solution, language, generated=generated, oku=oku,
                                  extra=risk_blocks(case, evidence, language, oku))


def risk_board_report(
    case: Case,
    solution: Solution,
    language: str = "en",
    *,
    generated: datetime,
    oku: bool | None = None,
    label: str = "",
    base_dir: Path | None = None,
    points: int | None = None,
) -> Report:
    """The board report of an answer already solved (the app's), with its risk sections."""
    evidence = gather_risk(case, solution, base_dir, None, points)
    return board_report(case, solution, language, generated=generated, oku=oku, label=label,
                        extra=risk_blocks(case, evidence, language, oku))


def risk_blocks(case: Case, evidence: RiskEvidence, language: str, oku: bool | None) -> list[Block]:
    """The risk figures' section, then the frontier's (see the module docstring for the rule)."""

    def t(key: str, **values: Any) -> str:
        return text(language, f"report.risk.{key}", **values)

    japanese = case.currency == "JPY" and (oku if oku is not None else language == "ja")
    full, short = _money_formats(case.currency, japanese)
    blocks: list[Block] = [Heading(t("heading"))]
    report = evidence.report
    if report is None:
        blocks.append(Paragraph(t("infeasible") if evidence.missing == "infeasible"
                                else t("unavailable", reason=evidence.missing)))
    else:
        blocks += _figures(case, evidence, report, t, full, short)
    blocks += frontier_blocks(case, evidence.frontier, evidence.frontier_missing, evidence.points, language, japanese)
    return blocks


def _figures(
    case: Case,
    evidence: RiskEvidence,
    report: RiskReport,
    t: Callable[..., str],
    full: Callable[[float], str],
    short: Callable[[float], str],
) -> list[Block]:
    level = percent(report.level)
    years = f"{report.years:,}"
    blocks: list[Block] = []
    if evidence.own_model:
        blocks.append(Paragraph(t("own_model", years=years)))
    else:
        model = load_loss_model(settings_of(case).loss_model)
        blocks.append(Paragraph(t("default_model", model=model.name, years=years, seed=report.seed or 0,
                                  default=f"{DEFAULT_YEARS:,}")))
    blocks.append(Figures([
        (t("expected_loss"), short(report.expected_loss)),
        (t("expected_uncovered"), short(report.expected_uncovered)),
        (t("p_uncovered"), percent(report.probability_uncovered)),
        (t("var", level=level), short(report.var)),
        (t("cvar", level=level), short(report.cvar)),
    ]))
    period = round(1 / (1 - report.level))
    blocks.append(Paragraph(t("figures_text", years=years, p=percent(report.probability_uncovered),
                              tail=percent(1 - report.level), cvar=short(report.cvar), level=level,
                              var=short(report.var), period=f"{period:,}")))
    if report.limits:
        blocks.append(Table(
            [t("col_limit"), t("col_limit_value"), t("col_mix_value"), t("col_met")],
            [[t(f"limit_{check.name}", level=level), full(check.limit), full(check.value),
              t("met") if check.met else t("not_met")] for check in report.limits],
        ))
    else:
        blocks.append(Paragraph(t("no_limits")))
    blocks.append(Paragraph(t("periods")))
    # A 1-in-T-year value needs at least T years: longer periods would only repeat the largest year.
    resolved = [row for row in report.return_periods if row.years <= report.years]
    if resolved:
        blocks.append(Table(
            [t("col_period"), t("col_annual_loss"), t("col_uncovered"), t("col_largest")],
            [[t("period", years=f"{row.years:,}"), short(row.annual_loss), short(row.uncovered),
              short(row.largest_incident)] for row in resolved],
        ))
    if len(resolved) < len(report.return_periods):
        longest = max(row.years for row in report.return_periods)
        blocks.append(Paragraph(t("periods_cut", years=years, longest=f"{longest:,}")))
    blocks.append(Paragraph(t("recovery")))
    bought = [name for name, amount in report.mix.items() if amount > 0]
    blocks.append(Table(
        [t("col_instrument"), t("col_bought"), t("col_recovery"), t("col_loss_ratio")],
        [[name, short(report.mix[name]), short(report.expected_recovery[name]),
          _ratio(report.loss_ratio.get(name, None), name in report.loss_ratio)] for name in bought],
    ))
    if report.default_added:
        blocks.append(Paragraph(t("defaults")))
        blocks.append(Table([t("col_counterparty"), t("col_added")],
                            [[name, short(value)] for name, value in report.default_added.items()]))
    if report.stress:
        covered = sum(1 for row in report.stress if row.uncovered <= 0)
        largest = sorted(report.stress, key=lambda row: -row.loss)[:STRESS_ROWS]
        blocks.append(Paragraph(t("stress", covered=covered, count=len(report.stress), shown=len(largest))))
        blocks.append(Table(
            [t("col_date"), t("col_exchange"), t("col_loss"), t("col_paid"), t("col_uncovered")],
            [[row.date, row.exchange, short(row.loss) + (f" {t('capped')}" if row.capped else ""),
              short(sum(row.paid.values())), short(row.uncovered)] for row in largest],
        ))
    blocks.append(Paragraph(t("assumptions")))
    blocks.append(Table([t("col_item"), t("col_value"), t("col_source")],
                        assumption_rows(case, report, evidence.spec, t, short)))
    blocks.append(Paragraph(t("order_note")))
    return blocks


def _ratio(value: float | None, applies: bool) -> str:
    if not applies:
        return "—"
    # As a percentage with two decimals, as the Risk page shows it (0.4798 -> 47.98%).
    return "—" if value is None else f"{value * 100:.2f}%"
