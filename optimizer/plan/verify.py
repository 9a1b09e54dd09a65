"""verify_plan: re-check a plan's path without the LP.

Each year's mix goes through the one-year verify_solution against that year's case and R_t
(ladder or face test, policy limits, bounds); the cash path is then re-checked from the
bought amounts alone: C_t = C_{t-1} + a_t - r_t, 0 <= a_t <= capacity_t, no release unless
allowed; and the objective must equal the discounted cost priced from the case terms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from optimizer.case.schema import Cash
from optimizer.coverage.verify import RELATIVE_TOLERANCE, annual_cost, verify_solution
from optimizer.plan.years import PlanYear


def cash_held(year: PlanYear, decisions: Mapping[str, float]) -> float:
    """C_t: the cash held in a year, the sum of its cash instruments."""
    return sum(decisions.get(item.id, 0.0) for item in year.case.instruments if isinstance(item, Cash))


def discounted_cost(years: Sequence[PlanYear], decisions: Sequence[Mapping[str, float]]) -> float:
    """sum_t (1 + d)^-(t-1) x the year's mix priced at the year's prices (model.md section 7)."""
    return sum(year.discount * annual_cost(year.case, mix) for year, mix in zip(years, decisions, strict=True))


def verify_plan(
    years: Sequence[PlanYear],
    decisions: Sequence[Mapping[str, float]],
    set_aside: Sequence[float],
    release: Sequence[float],
    starting_cash: float,
    allow_release: bool,
    objective: float | None = None,
) -> list[str]:
    """Every rule of the plan the path breaks, in words; an empty list means it complies.

    Parameters
    ----------
    decisions
        Per year: instrument id -> bought quantity in the decision's unit (as verify_solution).
    set_aside, release
        Per year: a_t and r_t in money, as the solver returned them.
    objective
        If given, the discounted cost the solver reported; it must equal the priced path.
    """
    problems: list[str] = []
    scale = max(year.basis.amount for year in years)
    tolerance = RELATIVE_TOLERANCE * scale
    previous = starting_cash
    for index, year in enumerate(years):
        mix = decisions[index]
        problems += [f"year {year.year}: {text}" for text in verify_solution(year.case, year.basis, mix)]
        cash = cash_held(year, mix)
        added, taken = set_aside[index], release[index]
        if abs(cash - previous - added + taken) > tolerance:
            problems.append(
                f"year {year.year}: cash {cash:,.2f} is not last year's {previous:,.2f} plus {added:,.2f} set aside "
                f"minus {taken:,.2f} released"
            )
        if added < -tolerance or taken < -tolerance:
            problems.append(f"year {year.year}: negative set-aside {added:,.2f} or release {taken:,.2f}")
        if year.capacity is not None and added > year.capacity + tolerance:
            problems.append(f"year {year.year}: {added:,.2f} set aside, above the capacity {year.capacity:,.2f}")
        if not allow_release and cash < previous - tolerance:
            problems.append(
                f"year {year.year}: cash falls from {previous:,.2f} to {cash:,.2f}, but release is not allowed"
            )
        previous = cash
    if objective is not None:
        priced = discounted_cost(years, decisions)
        if abs(priced - objective) > RELATIVE_TOLERANCE * max(priced, 1.0) + 1e-9 * scale:
            problems.append(f"reported discounted cost {objective:,.2f} differs from the priced path {priced:,.2f}")
    return problems
