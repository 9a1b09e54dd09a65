"""The textbook Rockafellar-Uryasev LP, one sparse matrix for scipy's HiGHS (linprog / milp).

Written from model.md section 4 and the case format alone; it shares nothing with
optimizer.risk.tail, optimizer.risk.payouts or optimizer.coverage.risk_limits. The regulatory
rows are tests/independent_lp.py's (money bought / R per instrument). For EVERY year
s = 1..S, zero-loss years included, two variables and two rows:

    u_s >= L_s / R - sum_j p_sj m_j        (u_s >= 0: the uncovered loss, in units of R)
    z_s >= u_s - eta                       (z_s >= 0)
    eta + (1 / ((1 - alpha) S)) sum_s z_s <= max_cvar / R        (eta free)
    (1 / S) sum_s u_s <= max_expected_uncovered / R

where p_sj is what one unit of money bought of instrument j pays in year s: 1 for cash and
guarantees (first-loss money), min(sum_e clip(x_e - a, 0, l), aggregate limit) / l for a
layer, min(#{e : x_e >= trigger}, max payouts a year) for parametric cover; 0 in a year its
counterparty defaults. Integer terms (whole units, minimum lines, all-or-nothing) are written
with their own switches and solved by ``scipy.optimize.milp``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp
from independent_lp import _is_lp, independent_rows
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from optimizer.case.schema import Case, Insurance, Parametric


def payouts_per_money(
    case: Case, years: int, event_year: np.ndarray, event_loss: np.ndarray, defaults: Mapping[str, set[int]]
) -> np.ndarray:
    """(S, K) money paid in each year per unit of money bought; ``defaults``: counterparty -> years."""
    paid = np.zeros((years, len(case.instruments)))
    by_year: dict[int, list[float]] = {}
    for year, loss in zip(event_year.tolist(), event_loss.tolist(), strict=True):
        by_year.setdefault(year, []).append(loss)
    for j, item in enumerate(case.instruments):
        if not isinstance(item, Insurance | Parametric):
            paid[:, j] = 1.0
        for year, incidents in by_year.items():
            losses = np.array(incidents)
            if isinstance(item, Insurance):
                layer = float(np.sum(np.minimum(np.maximum(losses - item.attachment, 0.0), item.limit)))
                if item.aggregate_limit is not None:
                    layer = min(layer, item.aggregate_limit)
                paid[year - 1, j] = layer / item.limit
            elif isinstance(item, Parametric):
                paid[year - 1, j] = min(int(np.sum(losses >= item.trigger)), item.max_payouts_per_year)
        if item.counterparty is not None:
            for year in defaults.get(item.counterparty, set()):
                paid[year - 1, j] = 0.0
    return paid


def textbook_cost(
    case: Case,
    years: int,
    event_year: np.ndarray,
    event_loss: np.ndarray,
    level: float,
    max_cvar: float | None,
    max_expected: float | None,
    defaults: Mapping[str, set[int]] | None = None,
) -> float | None:
    """Optimal annual cost with the risk limits, or None when no mix meets them."""
    requirement = case.requirement.amount
    assert requirement is not None
    lp = _is_lp(case)
    plain = case if lp else _relaxed(case)
    cost, rows, rhs, bounds = independent_rows(plain)
    k_items = len(case.instruments)
    paid = payouts_per_money(case, years, event_year, event_loss, defaults or {})
    annual = np.zeros(years)
    np.add.at(annual, event_year - 1, event_loss)
    # Columns: m (K), eta, u (S), z (S), then the integer parts (switches, units).
    eta, u0, z0 = k_items, k_items + 1, k_items + 1 + years
    extra = _integer_columns(case) if not lp else []
    width = z0 + years + len(extra)
    eye = sp.identity(years, format="csr")
    blocks: list[sp.csr_matrix] = []
    upper: list[float] = []
    if rows:
        dense = np.zeros((len(rows), width))
        dense[:, :k_items] = np.array(rows)
        blocks.append(sp.csr_matrix(dense))
        upper += list(rhs)
    # -p_s . m - u_s <= -L_s / R
    blocks.append(
        sp.hstack([sp.csr_matrix(-paid), sp.csr_matrix((years, 1)), -eye, sp.csr_matrix((years, years + len(extra)))])
    )
    upper += list(-annual / requirement)
    # u_s - eta - z_s <= 0
    blocks.append(
        sp.hstack(
            [
                sp.csr_matrix((years, k_items)),
                sp.csr_matrix(-np.ones((years, 1))),
                eye,
                -eye,
                sp.csr_matrix((years, len(extra))),
            ]
        )
    )
    upper += [0.0] * years
    if max_cvar is not None:
        row = np.zeros(width)
        row[eta] = 1.0
        row[z0 : z0 + years] = 1.0 / ((1.0 - level) * years)
        blocks.append(sp.csr_matrix(row))
        upper.append(max_cvar / requirement)
    if max_expected is not None:
        row = np.zeros(width)
        row[u0 : u0 + years] = 1.0 / years
        blocks.append(sp.csr_matrix(row))
        upper.append(max_expected / requirement)
    matrix = sp.vstack(blocks, format="csr")
    objective = np.zeros(width)
    objective[:k_items] = cost
    lower = [b[0] for b in bounds] + [-np.inf] + [0.0] * (2 * years)
    high = [np.inf if b[1] is None else b[1] for b in bounds] + [np.inf] * (1 + 2 * years)
    if lp:
        result = linprog(
            objective, A_ub=matrix, b_ub=np.array(upper), bounds=list(zip(lower, high, strict=True)), method="highs"
        )
        if result.status == 2:
            return None
        assert result.status == 0, result.message
        return float(result.fun) * requirement
    return _solve_milp(case, objective, matrix, upper, lower, high, extra, z0 + years, requirement)


def _relaxed(case: Case) -> Case:
    """The case without its integer terms (the integer parts are added as columns here)."""
    items = []
    for item in case.instruments:
        if isinstance(item, Insurance):
            item = item.model_copy(update={"min_share": None, "all_or_nothing": False})
        elif isinstance(item, Parametric):
            item = item.model_copy(update={"integer_units": False})
        items.append(item)
    return case.model_copy(update={"instruments": tuple(items)})


def _integer_columns(case: Case) -> list[tuple[int, str]]:
    """(instrument index, 'line' or 'units') for each integer part."""
    parts = []
    for j, item in enumerate(case.instruments):
        if isinstance(item, Insurance) and (item.min_share is not None or item.all_or_nothing):
            parts.append((j, "line"))
        elif isinstance(item, Parametric) and item.integer_units:
            parts.append((j, "units"))
    return parts


def _solve_milp(
    case: Case,
    objective: np.ndarray,
    matrix: sp.csr_matrix,
    upper: list[float],
    lower: list[float],
    high: list[float],
    extra: list[tuple[int, str]],
    first: int,
    requirement: float,
) -> float | None:
    width = objective.size
    rows, low_b, up_b = [], [], []
    integrality = np.zeros(width)
    for offset, (j, what) in enumerate(extra):
        column = first + offset
        item = case.instruments[j]
        integrality[column] = 1
        row_a, row_b = np.zeros(width), np.zeros(width)
        if what == "line":
            assert isinstance(item, Insurance)
            most = item.max_share * item.limit / requirement
            floor = most if item.all_or_nothing else (item.min_share or 0.0) * item.limit / requirement
            row_a[j], row_a[column] = 1.0, -most  # m <= most * y
            row_b[j], row_b[column] = 1.0, -floor  # m >= floor * y
            rows += [row_a, row_b]
            low_b += [-np.inf, 0.0]
            up_b += [0.0, np.inf]
            lower.append(0.0)
            high.append(1.0)
        else:
            assert isinstance(item, Parametric)
            row_a[j], row_a[column] = 1.0, -item.payout / requirement  # m = payout / R * units
            rows.append(row_a)
            low_b.append(0.0)
            up_b.append(0.0)
            lower.append(0.0)
            high.append(np.inf if item.max_units is None else item.max_units)
    constraints = [LinearConstraint(matrix, -np.inf, np.array(upper))]
    if rows:
        constraints.append(LinearConstraint(np.array(rows), np.array(low_b), np.array(up_b)))
    result = milp(
        objective,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(np.array(lower), np.array(high)),
        options={"mip_rel_gap": 1e-9},
    )
    if result.status == 2:
        return None
    assert result.status == 0, result.message
    return float(result.fun) * requirement
