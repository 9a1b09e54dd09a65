"""An independent formulation of the coverage LP, for scipy's HiGHS (linprog).

Written from design/model.md (sections 1-3) alone; it shares nothing with optimizer.coverage.model,
optimizer.case.terms or optimizer.coverage.collect except the case types. It is deliberately built another
way, so a common mistake is unlikely:

- every decision is money bought divided by R (cash held, guarantee drawn, share x limit,
  units x payout), not the optimizer's natural units (amount, share, units);
- the ladder test is written densely, one row per loss size, with no running totals, and at
  the midpoints between breakpoints as well as at the breakpoints themselves (redundant if
  the breakpoint argument of model.md is right, binding if a breakpoint were missing);
- credit factors come straight from the instrument (cases here state R directly);
- each ladder row is divided by its own loss size (funds / b >= 1), so the solver's
  tolerance is a fraction of the loss tested, and linprog runs with feasibility tolerances
  of 1e-10: a small retention against a huge R is not lost in either (issue #8).

Continuous only: a case with min_share, all_or_nothing or integer_units is refused.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from optimizer.case.schema import Case, Cash, Coverage, Guarantee, Insurance, Parametric


def _is_lp(case: Case) -> bool:
    for item in case.instruments:
        if isinstance(item, Insurance) and (item.min_share is not None or item.all_or_nothing):
            return False
        if isinstance(item, Parametric) and item.integer_units:
            return False
    return True


def _per_money(item: Cash | Guarantee | Insurance | Parametric) -> tuple[float, float | None]:
    """Annual cost per unit of money bought, and the most money on offer (None: unbounded)."""
    if isinstance(item, Cash):
        return item.cost_rate, item.max_amount
    if isinstance(item, Guarantee):
        return item.fee_rate, item.max_amount
    if isinstance(item, Insurance):
        # premium_rate is a rate on line: premium = rate x (share x limit) = rate x money bought.
        return item.premium_rate, item.max_share * item.limit
    units = item.max_units
    return item.premium / item.payout, None if units is None else units * item.payout


def _credit(item: Cash | Guarantee | Insurance | Parametric) -> float:
    return 1.0 if isinstance(item, Cash) else item.credit


def _pays_per_money(item: Cash | Guarantee | Insurance | Parametric, loss: float) -> float:
    """Credited money paid towards one incident of size ``loss``, per unit of money bought."""
    if isinstance(item, Insurance):
        # Money bought m = share x limit pays share x clip(loss - a, 0, l) = m x clip(...) / l.
        return _credit(item) * min(max(loss - item.attachment, 0.0), item.limit) / item.limit
    if isinstance(item, Parametric):
        # Left limit at the trigger: it pays only for losses strictly above it.
        return _credit(item) if loss > item.trigger else 0.0
    return _credit(item)


def _loss_sizes(case: Case, requirement: float) -> list[float]:
    points = {requirement}
    for item in case.instruments:
        if isinstance(item, Insurance):
            points.update((item.attachment, item.attachment + item.limit))
        elif isinstance(item, Parametric):
            points.add(item.trigger)
    inside = sorted(p for p in points if 0 < p <= requirement)
    between = [(low + high) / 2 for low, high in zip([0.0, *inside[:-1]], inside, strict=True)]
    return sorted(set(inside) | set(between))


def independent_rows(case: Case) -> tuple[np.ndarray, list[np.ndarray], list[float], list[tuple[float, float | None]]]:
    """The LP as (cost, rows, rhs, bounds): minimise cost . m subject to row . m <= rhs.

    m is the money bought of each instrument divided by R (case order).

    Raises
    ------
    ValueError
        For a case with integer terms, which this formulation does not model.
    """
    if not _is_lp(case):
        msg = "the independent formulation is continuous only (no min_share, all_or_nothing, integer_units)"
        raise ValueError(msg)
    requirement = case.requirement.amount
    if requirement is None:
        msg = "the independent formulation needs requirement.amount"
        raise ValueError(msg)
    items = list(case.instruments)
    n = len(items)
    cost = np.zeros(n)
    bounds: list[tuple[float, float | None]] = []
    for j, item in enumerate(items):
        rate, most = _per_money(item)
        cost[j] = rate
        bounds.append((0.0, None if most is None else most / requirement))
    credited = np.array([_credit(item) for item in items])

    # Rows as "at least" (lhs . x >= rhs) and "at most" (lhs . x <= rhs), in units of R.
    at_least: list[tuple[np.ndarray, float]] = []
    at_most: list[tuple[np.ndarray, float]] = []
    if case.coverage is Coverage.FACE:
        at_least.append((credited, 1.0))
    else:
        for loss in _loss_sizes(case, requirement):
            row = np.array([_pays_per_money(item, loss) for item in items])
            at_least.append((row * (requirement / loss), 1.0))
    limits = case.constraints
    if limits.min_cash_fraction is not None:
        is_cash = np.array([1.0 if isinstance(item, Cash) else 0.0 for item in items])
        at_least.append((is_cash, limits.min_cash_fraction))
    if limits.max_counterparty_fraction is not None:
        for name in {item.counterparty for item in items if item.counterparty is not None}:
            mine = np.array([1.0 if item.counterparty == name else 0.0 for item in items])
            at_most.append((mine * credited, limits.max_counterparty_fraction))
    if limits.max_insurance_fraction is not None:
        insured = np.array([1.0 if isinstance(item, Insurance | Parametric) else 0.0 for item in items])
        at_most.append((insured * credited, limits.max_insurance_fraction))
    if limits.liquidity is not None:
        days = limits.liquidity.days
        fast = np.array(
            [
                1.0 if isinstance(item, Cash) or (item.payout_days is not None and item.payout_days <= days) else 0.0
                for item in items
            ]
        )
        at_least.append((fast * credited, limits.liquidity.min_fraction))

    rows = [-lhs for lhs, _ in at_least] + [lhs for lhs, _ in at_most]
    rhs = [-value for _, value in at_least] + [value for _, value in at_most]
    return cost, rows, rhs, bounds


def independent_lp_cost(case: Case) -> float | None:
    """Optimal annual cost of an LP case, or None when no mix meets it.

    Raises
    ------
    ValueError
        For a case with integer terms, which this formulation does not model.
    """
    cost, rows, rhs, bounds = independent_rows(case)
    requirement = case.requirement.amount
    assert requirement is not None
    result = linprog(
        cost,
        A_ub=np.array(rows) if rows else None,
        b_ub=np.array(rhs) if rows else None,
        bounds=bounds,
        method="highs",
        options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10},
    )
    if result.status == 2:
        return None
    if result.status != 0:
        msg = f"linprog did not solve the case: {result.message}"
        raise RuntimeError(msg)
    return float(result.fun) * requirement
