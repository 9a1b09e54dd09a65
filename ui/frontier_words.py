"""The Frontier page's words and tables: the measure, what is held, each point, from the catalogue.

The optimizer describes a frontier in English (``Frontier.measure_words``, ``held``); the page
says the same from the catalogue in the session's language, built from the same facts (the
measure, its level, the case's limit on the other measure). Money goes through ``ui.format``.
"""

from __future__ import annotations

import pandas as pd

from optimizer import Case
from optimizer.workbench.frontier import Frontier, FrontierPoint
from ui import format as fmt
from ui.i18n import t

OTHER = {"cvar": "expected", "expected": "cvar"}
"""The other risk measure, held at its case limit while one is traced."""
FIELDS = {"cvar": "max_cvar", "expected": "max_expected_uncovered"}
"""The case field (under ``risk:``) of each measure's limit."""


def measure_label(measure: str, level: float) -> str:
    """The measure in words: "1-in-100-year CVaR (99%) of the uncovered annual loss"."""
    if measure == "expected":
        return t("frontier.words_expected")
    period = 1.0 / (1.0 - level)
    if abs(period - round(period)) < 1e-6 * period:  # a whole return period: say it
        return t("frontier.words_cvar_period", period=f"{round(period):,}", level=fmt.rate(level))
    return t("frontier.words_cvar", level=fmt.rate(level))


def held_label(case: Case, frontier: Frontier) -> str:
    """The rows held at every point: the requirement, the policy, and the other measure's limit."""
    other = OTHER[frontier.measure]
    limit = getattr(case.risk, FIELDS[other], None) if case.risk is not None else None
    if limit is None:
        return t("frontier.held")
    return t(
        "frontier.held_other",
        measure=measure_label(other, frontier.level),
        most=fmt.short(limit, frontier.currency),
        field=f"risk.{FIELDS[other]}",
    )


def status_label(point: FrontierPoint) -> str:
    """optimal, infeasible or failed, in words."""
    return t(f"frontier.status_{point.status}")


def mix_frame(case: Case, point: FrontierPoint, currency: str) -> pd.DataFrame:
    """Money bought of each instrument at a point, in the case's order with its kind."""
    kinds = {item.id: item.kind for item in case.instruments}
    return pd.DataFrame(
        [
            {
                t("views.col_instrument"): name,
                t("views.col_kind"): t(f"kind.{kinds[name]}") if name in kinds else "",
                t("views.col_bought"): fmt.money(amount, currency),
            }
            for name, amount in point.mix.items()
        ]
    )


def points_frame(frontier: Frontier) -> pd.DataFrame:
    """Every traced point: its limit, the cheapest annual cost there, the risk reached, its status."""
    cur = frontier.currency
    return pd.DataFrame(
        [
            {
                t("frontier.col_limit"): fmt.short(point.limit, cur),
                t("views.col_cost"): "" if point.total_cost is None else fmt.money(point.total_cost, cur),
                t("frontier.col_risk"): "" if point.value is None else fmt.short(point.value, cur),
                t("frontier.col_status"): status_label(point),
            }
            for point in frontier.points
        ]
    )
