"""Optimal cost against one swept lever: the what-if curve.

A failed point of a sweep is recorded, not raised (style.md): a value that makes the case
infeasible gives a point with no cost, and one that makes it invalid gives the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from optimizer.case.errors import CaseError
from optimizer.case.schema import Case
from optimizer.coverage.pipeline import SolverError, optimal_cost
from optimizer.rules.requirement import requirement_basis
from optimizer.workbench.variants import Levers, Target, variant_case


class Parameter(StrEnum):
    """The levers a sweep can move (see ``Levers``)."""

    REQUIREMENT = "requirement"
    CASH_COST_RATE = "cash_cost_rate"
    PREMIUM_SCALE = "premium_scale"
    MAX_INSURANCE_FRACTION = "max_insurance_fraction"
    MIN_CASH_FRACTION = "min_cash_fraction"
    ASSUMPTION = "assumption"
    """A regime assumption, named by the sweep's target."""


@dataclass(frozen=True)
class SweepPoint:
    """The optimal annual cost at one value of the swept lever, or why there is none."""

    value: float
    cost: float | None
    """Optimal annual cost; None when the variant is infeasible or invalid."""
    note: str = ""
    """Empty for an optimum; otherwise "infeasible" or the reason the point failed."""


def with_value(levers: Levers, parameter: Parameter, value: float, target: Target | str | None = None) -> Levers:
    """The levers with one of them set to ``value``.

    ``target`` names what a premium scale applies to (a Target), or which regime assumption
    is swept (its name).
    """
    if parameter is Parameter.PREMIUM_SCALE:
        if not isinstance(target, Target):
            msg = "a premium-scale sweep needs the target (kind or counterparty) to scale"
            raise ValueError(msg)
        return replace(levers, premium_scale={**levers.premium_scale, target: value})
    if parameter is Parameter.ASSUMPTION:
        if not isinstance(target, str):
            msg = "an assumption sweep needs the assumption's name"
            raise ValueError(msg)
        return levers.with_assumption(target, value)
    if parameter is Parameter.REQUIREMENT:
        return replace(levers, requirement=value)
    if parameter is Parameter.CASH_COST_RATE:
        return replace(levers, cash_cost_rate=value)
    if parameter is Parameter.MAX_INSURANCE_FRACTION:
        return replace(levers, max_insurance_fraction=value)
    return replace(levers, min_cash_fraction=value)


def default_values(
    case: Case, parameter: Parameter, points: int = 11, around: float = 0.0, fraction: bool = True
) -> list[float]:
    """A sensible range for the lever: R from 50% to 150%, rates and fractions across their span.

    A regime assumption (its value is ``around``) is swept from 0 to twice its value, and a
    ``fraction`` no higher than 1 (a larger value would be refused).
    """
    if parameter is Parameter.ASSUMPTION:
        high = 2 * around if around > 0 else 1.0
        return _grid(0.0, min(high, 1.0) if fraction else high, points)
    if parameter is Parameter.REQUIREMENT:
        base = requirement_basis(case).amount
        return _grid(0.5 * base, 1.5 * base, points)
    if parameter is Parameter.CASH_COST_RATE:
        return _grid(0.0, 0.15, points)
    if parameter is Parameter.PREMIUM_SCALE:
        return _grid(0.5, 2.0, points)
    return _grid(0.0, 1.0, points)


def _grid(low: float, high: float, points: int) -> list[float]:
    if points < 2:
        return [low]
    step = (high - low) / (points - 1)
    return [low + step * index for index in range(points)]


def sweep(
    case: Case,
    levers: Levers,
    parameter: Parameter,
    values: Sequence[float],
    target: Target | str | None = None,
    cost: Callable[[Case], float | None] = optimal_cost,
) -> list[SweepPoint]:
    """Optimal cost of the case under ``levers`` at each value of one lever."""
    points = []
    for value in values:
        try:
            variant = variant_case(case, with_value(levers, parameter, value, target))
            optimum = cost(variant)
        except CaseError as error:
            points.append(SweepPoint(value, None, "; ".join(str(problem) for problem in error.problems)))
            continue
        except SolverError as error:
            points.append(SweepPoint(value, None, str(error)))
            continue
        points.append(SweepPoint(value, optimum, "" if optimum is not None else "infeasible"))
    return points


def refined_sweep(
    case: Case,
    levers: Levers,
    parameter: Parameter,
    values: Sequence[float],
    target: Target | str | None = None,
    extra: int = 12,
    cost: Callable[[Case], float | None] = optimal_cost,
) -> list[SweepPoint]:
    """A sweep on ``values`` plus up to ``extra`` points where the answer changes.

    The optimal cost of an LP is piecewise linear in one lever (model.md: a right-hand side
    such as R, or a price), so between breakpoints three points lie on a line. Each extra
    point halves the interval where feasibility changes (infeasible on one side), else the
    interval whose slope differs most from its neighbours' (a bend inside it), so the grid is
    finer around the break-even points. An interval narrower than 1/64 of the range is not split.
    """
    points = sorted(sweep(case, levers, parameter, values, target, cost), key=lambda point: point.value)
    if len(points) < 2:
        return points
    smallest = (points[-1].value - points[0].value) / 64
    for _ in range(extra):
        interval = _interval_to_split(points, smallest)
        if interval is None:
            break
        middle = (points[interval].value + points[interval + 1].value) / 2
        points.insert(interval + 1, sweep(case, levers, parameter, [middle], target, cost)[0])
    return points


def _interval_to_split(points: Sequence[SweepPoint], smallest: float) -> int | None:
    """Index i of the interval (points[i], points[i + 1]) to halve next, or None."""

    def wide(index: int) -> bool:
        return points[index + 1].value - points[index].value > smallest

    for index in range(len(points) - 1):
        if (points[index].cost is None) != (points[index + 1].cost is None) and wide(index):
            return index
    # The interval holding a bend has a slope unlike both neighbours': it bends at both ends.
    slopes: list[float | None] = []
    for left, right in zip(points, points[1:], strict=False):
        both = left.cost is not None and right.cost is not None
        rise = (right.cost or 0.0) - (left.cost or 0.0)
        slopes.append(rise / (right.value - left.value) if both else None)
    bends = [0.0] * len(points)
    for index in range(1, len(points) - 1):
        before, after = slopes[index - 1], slopes[index]
        if before is not None and after is not None:
            bends[index] = abs(after - before)
    scale = max((abs(point.cost) for point in points if point.cost is not None), default=1.0) or 1.0
    best: tuple[float, int] | None = None
    for index in range(len(points) - 1):
        width = points[index + 1].value - points[index].value
        score = (bends[index] + bends[index + 1]) * width
        if score > 1e-9 * scale and wide(index) and (best is None or score > best[0]):
            best = (score, index)
    return None if best is None else best[1]
