"""An independent formulation of the transition plan (model.md section 7), for scipy's linprog.

Built as one dense matrix from the design text, sharing nothing with optimizer.plan or
optimizer.coverage: the per-year blocks use tests/independent_lp.py's helpers (money bought
per instrument, a dense ladder at breakpoints and midpoints), and the plan is written here
directly:

- columns: for each year t and instrument j, money bought / S (S the largest R_t), then a_t
  and r_t for every year;
- year t's rows are the one-year rows with R_t = fraction_t x R, prices x (1 + trend)^(t-1),
  and instruments not on offer bounded at 0;
- C_t - C_{t-1} - a_t + r_t = 0 (C_0 the starting cash), 0 <= a_t <= capacity_t, r_t = 0
  unless release is allowed;
- objective sum_t (1 + d)^-(t-1) x cost of year t.

Continuous only, R given as an amount, capacity given in money.
"""

from __future__ import annotations

import numpy as np
from independent_lp import _credit, _loss_sizes, _pays_per_money, _per_money
from scipy.optimize import linprog

from optimizer.case.schema import Case, Cash, Coverage, Guarantee, Insurance, Parametric


def _on_offer(case: Case, item_id: str, year: int) -> bool:
    assert case.plan is not None
    terms = case.plan.instruments.get(item_id)
    if terms is None:
        return True
    if terms.interim is not None:
        return year <= terms.interim
    return terms.available_years is None or year in terms.available_years


def _pays_within(item: Cash | Guarantee | Insurance | Parametric, days: int) -> bool:
    # Cash counts as paying at once (model.md section 3).
    return isinstance(item, Cash) or (item.payout_days is not None and item.payout_days <= days)


def independent_plan_cost(case: Case) -> float | None:
    """Optimal discounted cost of the case's plan, or None when no path meets it."""
    plan = case.plan
    assert plan is not None and case.requirement.amount is not None
    assert plan.max_set_aside_share is None
    items = list(case.instruments)
    n, years = len(items), plan.years
    fractions = plan.requirement_fractions or tuple(1.0 for _ in range(years))
    targets = [f * case.requirement.amount for f in fractions]
    scale = max(targets)
    width = years * n + 2 * years

    def column(t: int, j: int) -> int:
        return t * n + j

    def set_aside(t: int) -> int:
        return years * n + t

    def release(t: int) -> int:
        return years * n + years + t

    cost = np.zeros(width)
    bounds: list[tuple[float, float | None]] = []
    for t in range(years):
        for j, item in enumerate(items):
            rate, most = _per_money(item)
            trend = plan.instruments.get(item.id)
            factor = (1 + (trend.price_trend if trend else 0.0)) ** t
            cost[column(t, j)] = (1 + plan.discount_rate) ** -t * rate * factor
            upper = None if most is None else most / scale
            bounds.append((0.0, upper) if _on_offer(case, item.id, t + 1) else (0.0, 0.0))
    capacity = plan.max_set_aside
    for t in range(years):
        cap = None if capacity is None else (capacity if isinstance(capacity, float) else capacity[t])
        bounds.append((0.0, None if cap is None else cap / scale))
    bounds += [(0.0, None if plan.allow_release else 0.0)] * years

    at_least: list[tuple[np.ndarray, float]] = []
    at_most: list[tuple[np.ndarray, float]] = []
    credited = np.array([_credit(item) for item in items])
    limits = case.constraints
    for t, target in enumerate(targets):
        share = target / scale

        def block(values: np.ndarray, t: int = t) -> np.ndarray:
            row = np.zeros(width)
            row[t * n : (t + 1) * n] = values
            return row

        if case.coverage is Coverage.FACE:
            at_least.append((block(credited), share))
        else:
            for loss in _loss_sizes(case, target):
                at_least.append((block(np.array([_pays_per_money(item, loss) for item in items])), loss / scale))
        if limits.min_cash_fraction is not None:
            is_cash = np.array([1.0 if isinstance(item, Cash) else 0.0 for item in items])
            at_least.append((block(is_cash), limits.min_cash_fraction * share))
        if limits.max_counterparty_fraction is not None:
            for name in {item.counterparty for item in items if item.counterparty is not None}:
                mine = np.array([1.0 if item.counterparty == name else 0.0 for item in items])
                at_most.append((block(mine * credited), limits.max_counterparty_fraction * share))
        if limits.max_insurance_fraction is not None:
            insured = np.array([1.0 if isinstance(item, Insurance | Parametric) else 0.0 for item in items])
            at_most.append((block(insured * credited), limits.max_insurance_fraction * share))
        if limits.liquidity is not None:
            days = limits.liquidity.days
            fast = np.array([1.0 if _pays_within(item, days) else 0.0 for item in items])
            at_least.append((block(fast * credited), limits.liquidity.min_fraction * share))

    # The cash stock, C_t - C_{t-1} - a_t + r_t = 0 (C_0 = starting cash), as equality rows.
    equalities, values = [], []
    for t in range(years):
        row = np.zeros(width)
        for j, item in enumerate(items):
            if isinstance(item, Cash):
                row[column(t, j)] = 1.0
                if t > 0:
                    row[column(t - 1, j)] = -1.0
        row[set_aside(t)], row[release(t)] = -1.0, 1.0
        equalities.append(row)
        values.append(plan.starting_cash / scale if t == 0 else 0.0)

    rows = [-lhs for lhs, _ in at_least] + [lhs for lhs, _ in at_most]
    rhs = [-value for _, value in at_least] + [value for _, value in at_most]
    result = linprog(
        cost,
        A_ub=np.array(rows) if rows else None,
        b_ub=np.array(rhs) if rows else None,
        A_eq=np.array(equalities),
        b_eq=np.array(values),
        bounds=bounds,
        method="highs",
    )
    if result.status == 2:
        return None
    if result.status != 0:
        msg = f"linprog did not solve the plan: {result.message}"
        raise RuntimeError(msg)
    return float(result.fun) * scale
