"""The board report's cost-risk frontier: a chart, the table of points, the unsolved ones listed.

The frontier is ``workbench/frontier.py``'s (cheapest annual cost at each limit on the CVaR of
the uncovered loss, every point a verified optimum); this module only words and draws it. The
chart plots each optimal point's CVaR reached against its annual cost, the case's own answer
marked and its ``risk.max_cvar`` drawn as a line; the axes carry their money units (¥bn, 億円).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from optimizer.case.money import percent
from optimizer.case.schema import Case
from optimizer.workbench.board_report import (
    Block,
    Bullets,
    FrontierChart,
    Heading,
    Paragraph,
    Table,
    display_unit,
    money_formats,
)
from optimizer.workbench.frontier import Frontier, FrontierPoint
from optimizer.workbench.frontier_view import points_with_current
from optimizer.workbench.i18n import text


def frontier_blocks(
    case: Case, frontier: Frontier | None, missing: str, points: int, language: str, japanese: bool
) -> list[Block]:
    """The frontier's section: why there is none, or its words, chart and table."""

    def t(key: str, **values: Any) -> str:
        return text(language, f"report.frontier.{key}", **values)

    blocks: list[Block] = [Heading(t("heading"))]
    if frontier is None:
        if missing:
            blocks.append(Paragraph(t("infeasible") if missing == "infeasible" else t("none", reason=missing)))
        else:
            blocks.append(Paragraph(t("not_asked") if case.risk is None else t("left_out")))
        return blocks
    full, short = money_formats(case.currency, japanese)
    level = percent(frontier.level)
    limit = case.risk.max_expected_uncovered if case.risk is not None else None
    held = t("held") if limit is None else t("held_expected", limit=full(limit))
    blocks.append(Paragraph(t("text", level=level, top=short(frontier.regulatory_value),
                              least=short(frontier.least_value), years=f"{frontier.years:,}", held=held,
                              count=len(frontier.points))))
    optimal = [point for point in frontier.points if point.status == "optimal"]
    if frontier.regulatory_value - frontier.least_value <= 1e-9 * max(frontier.regulatory_value, 1.0):
        blocks.append(Paragraph(t("flat")))
    if optimal:
        blocks.append(_chart(case, frontier, optimal, t, japanese))
    step = _step(frontier.regulatory_value)
    rows = points_with_current(frontier)

    def least(point: FrontierPoint) -> bool:
        # At the least reachable CVaR no mix goes lower: the limit row's dual there is not a price.
        return point.limit <= frontier.least_value * (1 + 1e-9) + 1e-9

    def notes(point: FrontierPoint) -> str:
        words = [t(f"status_{point.status}")]
        words += [t("is_case")] if point is frontier.current else []
        words += [t("is_least")] if least(point) else []
        return " ".join(words)

    blocks.append(Table(
        [t("col_limit", level=level), t("col_cost"), t("col_reached"), t("col_expected"),
         t("col_price", step=short(step)), t("col_status")],
        [[short(point.limit), "" if point.total_cost is None else full(point.total_cost),
          _maybe(point.value, short), _maybe(point.other_value, short),
          "—" if least(point) else _maybe(None if point.price is None else point.price * step, short),
          notes(point)]
         for point in rows],
    ))
    unsolved = [point for point in rows if point.status != "optimal"]
    if unsolved:
        blocks.append(Paragraph(t("unsolved", count=len(unsolved))))
        blocks.append(Bullets([t("unsolved_item", limit=full(point.limit), status=t(f"status_{point.status}"),
                                 detail=point.detail) for point in unsolved]))
    return blocks


def _maybe(value: float | None, shown: Callable[[float], str]) -> str:
    return "" if value is None else shown(value)


def _step(top: float) -> float:
    """A round amount of CVaR to price: about a tenth of the regulatory optimum's (as the CLI's table)."""
    return float(10.0 ** (math.floor(math.log10(max(top, 1.0))) - 1))


def _chart(
    case: Case, frontier: Frontier, optimal: list[FrontierPoint], t: Callable[..., str], japanese: bool
) -> FrontierChart:
    risk_top = max(point.value or 0.0 for point in optimal)
    cost_top = max(point.total_cost or 0.0 for point in optimal)
    x_size, x_unit = display_unit(risk_top, case.currency, japanese)
    y_size, y_unit = display_unit(cost_top, case.currency, japanese)
    current = frontier.current
    marked = None
    if current is not None and current.status == "optimal":
        marked = ((current.value or 0.0) / x_size, (current.total_cost or 0.0) / y_size)
    limit = case.risk.max_cvar if case.risk is not None else None
    level = percent(frontier.level)
    return FrontierChart(
        title=t("chart", level=level),
        x_label=t("x_axis", level=level, unit=x_unit),
        y_label=t("y_axis", unit=y_unit),
        points=[((point.value or 0.0) / x_size, (point.total_cost or 0.0) / y_size) for point in optimal],
        current=marked,
        current_label=t("current"),
        limit=None if limit is None else limit / x_size,
        limit_label=t("limit"),
    )
