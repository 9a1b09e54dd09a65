"""verify_solution: re-check a mix against every rule of the case, without the LP.

Everything here is recomputed from the case fields and the bought quantities with plain
arithmetic written separately from the model builder, so a wrong row, a wrong scale or a
solver that stopped early cannot pass unnoticed (solver-notes.md, "Traps").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from optimizer.case.names import counterparty_key
from optimizer.case.schema import Case, Cash, Coverage, Guarantee, Insurance, Parametric
from optimizer.coverage.certify import PricedRule, cost_lower_bound
from optimizer.rules.basis import insurance_cap
from optimizer.rules.requirement import Basis

# The cost a mix is priced at and the cost reported must agree to this, relative.
RELATIVE_TOLERANCE = 1e-6
# How far above the lower bound from the duals an optimal cost may be, relative to the cost
# and to the priced amounts the bound adds up (their rounding), before optimality is doubted.
OPTIMALITY_GAP = 1e-6


def money_tolerance(requirement: float) -> float:
    """How far a rule may be missed, in money: one unit of the currency, or 1e-9 x R if larger.

    Every rule (the ladder, the face test, floors, caps, bounds) is checked to this. It is ten
    times the solver's own feasibility tolerance (1e-10 of R, or of the loss a ladder row
    tests), so a correct solve passes, and small enough that a retention of a few thousand
    yen against a ¥40bn requirement, or ¥5m of cash against ¥1e16, is not waved through
    (issue #8, item 2). Below one unit of currency no regulator counts.
    """
    return max(1.0, 1e-9 * requirement)


def _amount(value: float) -> str:
    """A money figure for a message: to the cent, or to three digits when below one unit."""
    return f"{value:,.2f}" if value == 0 or abs(value) >= 0.995 else f"{value:.3g}"


def bought_amount(item: Cash | Guarantee | Insurance | Parametric, decision: float) -> float:
    """Money bought for a decision in its own unit (amount, share, or units)."""
    if isinstance(item, Insurance):
        return decision * item.limit
    if isinstance(item, Parametric):
        return decision * item.payout
    return decision


def funds_for_losses(
    case: Case, basis: Basis, decisions: Mapping[str, float], losses: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Credited money available to pay a single incident of each size in ``losses`` (left limit).

    Cash and guarantees pay from the first yen; a layer pays clip(b - a, 0, l) per unit share;
    parametric cover pays its payout once b is strictly above the trigger (model.md section 2).
    """
    b = np.asarray(losses, dtype=float)
    total = np.zeros_like(b)
    for item in case.instruments:
        weight = basis.credit.get(item.id, 0.0) * decisions.get(item.id, 0.0)
        if weight == 0.0:
            continue  # nothing bought or nothing credited: pays nothing towards the test
        if isinstance(item, Insurance):
            total += weight * np.clip(b - item.attachment, 0.0, item.limit)
        elif isinstance(item, Parametric):
            total += np.where(b > item.trigger, weight * item.payout, 0.0)
        else:
            total += weight
    return total


def funds_for_loss(case: Case, basis: Basis, decisions: Mapping[str, float], loss: float) -> float:
    """Credited money available to pay a single incident of size ``loss`` (left limit)."""
    return float(funds_for_losses(case, basis, decisions, [loss])[0])


def annual_cost(case: Case, decisions: Mapping[str, float]) -> float:
    """Total annual cost of a mix, priced from the case terms."""
    total = 0.0
    for item in case.instruments:
        x = decisions.get(item.id, 0.0)
        if isinstance(item, Cash):
            total += item.cost_rate * x
        elif isinstance(item, Guarantee):
            total += item.fee_rate * x
        elif isinstance(item, Insurance):
            total += item.premium_rate * item.limit * x
        else:
            total += item.premium * x
    return total


def _check_losses(case: Case, requirement: float) -> list[float]:
    # Every point where either side of the ladder inequality changes slope or jumps, plus the
    # midpoints between them, as a second line of defence against a missing breakpoint.
    points = {requirement}
    for item in case.instruments:
        if isinstance(item, Insurance):
            points |= {item.attachment, item.attachment + item.limit}
        elif isinstance(item, Parametric):
            points.add(item.trigger)
    inside = sorted(p for p in points if 0 < p <= requirement)
    mids = [(a + b) / 2 for a, b in zip([0.0, *inside], inside, strict=False)]
    return sorted(set(inside) | set(mids))


def ladder_margin(case: Case, basis: Basis, decisions: Mapping[str, float]) -> tuple[float, float]:
    """Smallest funds-minus-loss over the ladder test, and the loss size where it occurs."""
    losses = np.asarray(_check_losses(case, basis.amount))
    margins = funds_for_losses(case, basis, decisions, losses) - losses
    worst = int(np.argmin(margins))
    return float(margins[worst]), float(losses[worst])


def verify_solution(
    case: Case,
    basis: Basis,
    decisions: Mapping[str, float],
    total_cost: float | None = None,
    prices: Sequence[PricedRule] | None = None,
    fixed: Mapping[str, float] | None = None,
) -> list[str]:
    """Every rule of the case the mix breaks, in words; an empty list means it complies.

    Parameters
    ----------
    decisions
        Instrument id -> bought quantity in the decision's unit (amount for cash and
        guarantees, share for insurance, units for parametric cover).
    total_cost
        If given, it must equal the mix priced from the case terms.
    prices
        If given (the LP's duals as prices on the case's rules), the mix must cost no more
        than the lower bound they prove for every mix (optimizer/coverage/certify.py).
    fixed
        With ``prices``: instruments held at their chosen quantity (a MILP's integer choices).
    """
    tolerance = money_tolerance(basis.amount)
    problems = _bound_problems(case, decisions, tolerance)
    credited = {
        item.id: basis.credit.get(item.id, 0.0) * bought_amount(item, decisions.get(item.id, 0.0))
        for item in case.instruments
    }
    requirement = basis.amount
    if case.coverage is Coverage.FACE:
        face = sum(credited.values())
        if face < requirement - tolerance:
            problems.append(f"credited face {_amount(face)} is below the requirement {_amount(requirement)}")
    else:
        worst, at = ladder_margin(case, basis, decisions)
        if worst < -tolerance:
            problems.append(f"ladder test fails at a loss of {_amount(at)}: funds fall short by {_amount(-worst)}")
    limits = case.constraints
    cash = sum(decisions.get(item.id, 0.0) for item in case.instruments if isinstance(item, Cash))
    if limits.min_cash_fraction is not None and cash < limits.min_cash_fraction * requirement - tolerance:
        problems.append(f"cash {_amount(cash)} is below the floor {limits.min_cash_fraction:g} x R")
    if limits.max_counterparty_fraction is not None:
        # Spellings of one name are one counterparty (optimizer/case/names.py).
        by_counterparty: dict[str, float] = {}
        shown: dict[str, str] = {}
        for item in case.instruments:
            if item.counterparty:
                key = counterparty_key(item.counterparty)
                shown.setdefault(key, item.counterparty)
                by_counterparty[key] = by_counterparty.get(key, 0.0) + credited[item.id]
        cap = limits.max_counterparty_fraction * requirement
        problems += [
            f"counterparty {shown[key]!r} credits {_amount(face)}, above its cap {_amount(cap)}"
            for key, face in by_counterparty.items()
            if face > cap + tolerance
        ]
    insurance_limit = insurance_cap(case, basis)  # the stricter of the case's and the regime's
    if insurance_limit is not None:
        insured = sum(credited[i.id] for i in case.instruments if isinstance(i, Insurance | Parametric))
        cap = insurance_limit.fraction * requirement
        if insured > cap + tolerance:
            problems.append(f"insurance and parametric credit {_amount(insured)} is above the cap {_amount(cap)}")
    for cover in basis.mandatory:
        # The instrument's own credit, not the regime's factor for R (model.md; VARA crime cover).
        held = sum(
            item.credit * bought_amount(item, decisions.get(item.id, 0.0))
            for item in case.instruments
            if item.kind == cover.kind
        )
        if held < cover.amount - tolerance:
            problems.append(f"mandatory {cover.name}: {cover.kind} of {_amount(held)} is below {_amount(cover.amount)}")
    if limits.liquidity is not None:
        days = limits.liquidity.days
        liquid = sum(credited[i.id] for i in case.instruments if i.payout_days is not None and i.payout_days <= days)
        floor = limits.liquidity.min_fraction * requirement
        if liquid < floor - tolerance:
            problems.append(f"cover payable within {days} days {_amount(liquid)} is below the floor {_amount(floor)}")
    priced = annual_cost(case, decisions)
    if total_cost is not None and abs(priced - total_cost) > RELATIVE_TOLERANCE * max(priced, 1.0) + 1e-9 * requirement:
        problems.append(f"reported cost {_amount(total_cost)} differs from the priced mix {_amount(priced)}")
    if prices is not None and not problems:
        problems += _optimality_problems(case, basis, priced, prices, fixed)
    return problems


def _optimality_problems(
    case: Case, basis: Basis, cost: float, prices: Sequence[PricedRule], fixed: Mapping[str, float] | None
) -> list[str]:
    bound = cost_lower_bound(case, basis, prices, fixed)
    # The bound adds up priced amounts that may be far larger than the cost and cancel; allow
    # their rounding as well as a relative gap on the cost itself.
    scale = abs(cost) + sum(rule.price * rule.amount for rule in prices if rule.price > 0)
    if cost - bound <= OPTIMALITY_GAP * scale + 0.01:  # and a cent, for a cost of zero
        return []
    shown = "minus infinity" if bound == -math.inf else _amount(bound)
    text = (
        f"optimality is not proven: the mix costs {_amount(cost)} a year, but the solver's duals only show "
        f"that no mix costs less than {shown} (a solver that dropped or mis-scaled a coefficient, "
        "or stopped early, leaves such a gap)"
    )
    return [text]


def _bound_problems(case: Case, decisions: Mapping[str, float], tolerance: float) -> list[str]:
    problems = []
    unknown = set(decisions) - {item.id for item in case.instruments}
    problems += [f"decision for unknown instrument {name!r}" for name in sorted(unknown)]
    for item in case.instruments:
        x = decisions.get(item.id, 0.0)
        high: float | None
        if isinstance(item, Insurance):
            high, unit = item.max_share, "share"
        elif isinstance(item, Parametric):
            high, unit = item.max_units, "units"
        else:
            high, unit = item.max_amount, "amount"
        slack = tolerance / bought_amount(item, 1.0)  # the money tolerance, in the decision's unit
        if x < -slack:
            problems.append(f"{item.id}: {unit} {x:g} is negative")
        if high is not None and x > high + slack:
            problems.append(f"{item.id}: {unit} {x:g} exceeds the {high:g} on offer")
        if isinstance(item, Parametric) and item.integer_units and abs(x - round(x)) > 1e-6:
            problems.append(f"{item.id}: units {x:g} must be whole")
        if isinstance(item, Insurance) and x > 1e-7:
            if item.all_or_nothing and abs(x - item.max_share) > 1e-6:
                problems.append(f"{item.id}: share {x:g} must be 0 or the whole {item.max_share:g}")
            if item.min_share is not None and x < item.min_share - 1e-6:
                problems.append(f"{item.id}: share {x:g} is below the minimum line {item.min_share:g}")
    return problems
