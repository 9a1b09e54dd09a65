"""The frontier as text a CFO reads, and as CSV (``reserve-opt frontier``; JSON is ``Frontier.to_dict``)."""

from __future__ import annotations

import math
from collections.abc import Callable

from optimizer.case.money import money, short_money
from optimizer.workbench.cells import csv_text
from optimizer.workbench.frontier import Frontier, FrontierPoint

_OTHER = {"cvar": "expected uncovered", "expected": "CVaR"}


def _is_current(frontier: Frontier, point: FrontierPoint) -> bool:
    return point is frontier.current


def points_with_current(frontier: Frontier) -> list[FrontierPoint]:
    """The points, with the case's own answer among them (by limit, highest first)."""
    points = list(frontier.points)
    if frontier.current is not None and all(point is not frontier.current for point in points):
        points.append(frontier.current)
        points.sort(key=lambda point: -point.limit)
    return points


def _step(frontier: Frontier) -> float:
    """A round amount of the measure to price: about a tenth of the regulatory optimum's value."""
    top = max(frontier.regulatory_value, 1.0)
    return float(10.0 ** (math.floor(math.log10(top)) - 1))


def render_frontier_table(frontier: Frontier) -> str:
    """One line per point: the limit, the cheapest cost, the measures reached, the price of risk."""
    cur = frontier.currency
    step = _step(frontier)
    lines = [
        f"Cost-risk frontier: {frontier.case_name} ({cur})",
        f"Measure: the {frontier.measure_words}, over {frontier.years:,} years",
        f"Held at every point: {frontier.held}",
        (
            f"From the cheapest mix without a limit on it ({short_money(frontier.regulatory_value, cur)}) "
            f"down to the least any mix can reach ({short_money(frontier.least_value, cur)})"
        ),
        "",
        (
            f"{'':2}{'limit':>10}  {'annual cost':>16}  {'reached':>10}  {_OTHER[frontier.measure]:>18}  "
            f"{'cost of ' + short_money(step, cur) + ' less':>20}  status"
        ),
    ]
    for point in points_with_current(frontier):
        mark = "> " if _is_current(frontier, point) else "  "
        cost = "" if point.total_cost is None else money(point.total_cost, cur)
        reached = "" if point.value is None else short_money(point.value, cur)
        other = "" if point.other_value is None else short_money(point.other_value, cur)
        price = "" if point.price is None else f"{short_money(point.price * step, cur)} a year"
        status = point.status if not point.detail else f"{point.status}: {point.detail}"
        lines.append(
            f"{mark}{short_money(point.limit, cur):>10}  {cost:>16}  {reached:>10}  {other:>18}  {price:>20}  {status}"
        )
    if frontier.current is not None:
        lines += ["", "> the case as it stands (its own limit, or none)"]
    lines += [
        "",
        (
            "Every point is the verified optimum at its limit (the measures recomputed over all years by "
            f"sorting); the mix at each point is in --format json or csv. {frontier.seconds:.2f} s."
        ),
    ]
    return "\n".join(lines)


def render_frontier_csv(frontier: Frontier) -> str:
    """One row per point, with the money bought of every instrument; spreadsheet-guarded."""
    ids = sorted({name for point in frontier.points for name in point.mix}, key=_order(frontier))
    header = ["status", "limit", "total_cost", "value", "other_value", "price", "current", *ids, "detail"]
    rows = []
    for point in points_with_current(frontier):
        rows.append(
            [
                point.status,
                point.limit,
                _blank(point.total_cost),
                _blank(point.value),
                _blank(point.other_value),
                _blank(point.price),
                "yes" if _is_current(frontier, point) else "",
                *(_blank(point.mix.get(name)) for name in ids),
                point.detail,
            ]
        )
    return csv_text(header, rows)


def _blank(value: float | None) -> object:
    return "" if value is None else value


def _order(frontier: Frontier) -> Callable[[str], int]:
    first = next((point.mix for point in frontier.points if point.mix), {})
    position = {name: index for index, name in enumerate(first)}
    return lambda name: position.get(name, len(position))
