"""Plan levers for the app: a starting plan for a case, and a case's plan with levers moved.

The levers are the set-aside capacity (one amount a year) and a straight-line phase-in (the
first year's share of R, rising evenly to all of R in the last year). They edit the raw case
data, which the app then checks like a file (check_case), so a lever that makes the plan
invalid is reported with the same messages.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from optimizer.case.schema import Case
from optimizer.rules.requirement import requirement_basis


def linear_phase_in(first: float, years: int) -> list[float]:
    """Fractions of R rising evenly from ``first`` in year 1 to 1.0 in year ``years``."""
    if years == 1:
        return [1.0]
    return [round(first + (1.0 - first) * t / (years - 1), 4) for t in range(years)]


def default_plan(case: Case, years: int = 4) -> dict[str, Any]:
    """A plan to start from: R phased in evenly over ``years``, a quarter of R set aside a year."""
    requirement = requirement_basis(case).amount
    step = 10 ** max(math.floor(math.log10(requirement / years)) - 1, 0)
    return {
        "years": years,
        "requirement_fractions": linear_phase_in(1 / years, years),
        "starting_cash": 0,
        "max_set_aside": round(requirement / years / step) * step,
        "allow_release": False,
        "discount_rate": 0.0,
    }


def plan_variant(
    data: dict[str, Any], capacity: float | None = None, first_fraction: float | None = None
) -> dict[str, Any]:
    """A copy of raw case data whose plan has the levers applied (None leaves a lever alone).

    ``capacity`` replaces plan.max_set_aside by one amount a year (a list becomes one amount);
    ``first_fraction`` replaces plan.requirement_fractions by a straight line from it to 1.0.
    """
    changed = copy.deepcopy(data)
    plan = changed.setdefault("plan", {})
    if capacity is not None:
        plan["max_set_aside"] = capacity
    if first_fraction is not None:
        years = plan.get("years")
        if isinstance(years, int) and not isinstance(years, bool) and years >= 1:
            plan["requirement_fractions"] = linear_phase_in(first_fraction, years)
    return changed
