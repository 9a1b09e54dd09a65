"""A lower bound on the cost of any mix, from prices on the case's rules (weak duality).

``verify_solution`` proves that a mix meets every rule; this module lets it prove the mix is
also the cheapest. For any non-negative price lambda_r on each rule "sum_j g_rj m_j >= h_r"
(a limit "<=" is the same rule negated) and money bought m_j in [0, M_j],

    cost(m) = sum_j c_j m_j >= sum_r lambda_r h_r + sum_j min over [0, M_j] of (c_j - sum_r lambda_r g_rj) m_j

for every mix that meets the rules (Lagrangian relaxation; e.g. Bertsimas & Tsitsiklis,
Introduction to Linear Optimization, section 4.3). The LP's duals are such prices; at an
optimum the bound equals the cost (strong duality). Everything here is recomputed in money
from the case terms, not from the LP's matrix, so a solver that dropped or mis-scaled a
coefficient returns duals whose bound falls short of the cost it claims, and the gap shows.

For a MILP the instruments with integer terms are held at their chosen quantities: the bound
then certifies the mix as the cheapest given those whole-unit and minimum-line choices (the
duals are those of that fixed LP), not that the choices themselves are best.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from optimizer.case.schema import Case, Insurance, Parametric
from optimizer.case.terms import AnyInstrument, unit_amount, unit_cost, upper_bound
from optimizer.rules.requirement import Basis


class Counts(StrEnum):
    """What an instrument contributes to a rule, per unit of money bought."""

    CREDITED = "credited"
    """Its credit under the requirement (face, caps, liquidity)."""
    OWN_CREDIT = "own_credit"
    """Its own credit field, whatever the regime's factor (mandatory cover)."""
    MONEY = "money"
    """The money itself (the cash floor)."""
    LADDER = "ladder"
    """What it pays towards a single loss of size ``loss`` (left limit), credited."""
    GIVEN = "given"
    """A weight given with the rule (a risk cut: its mean payout over the worst years)."""


@dataclass(frozen=True)
class PricedRule:
    """One rule of the case with a non-negative price from the LP's duals."""

    price: float
    """Annual cost per unit of money of the rule's amount (>= 0)."""
    floor: bool
    """True: the counted money must be at least ``amount``; False: at most."""
    amount: float
    """The rule's amount in money (b for a ladder row)."""
    members: frozenset[str]
    """Instrument ids whose money counts towards the rule."""
    counts: Counts
    loss: float | None = None
    """Single-incident loss size, for a ladder rule."""
    weights: Mapping[str, float] | None = None
    """Instrument id -> money counted per unit of money bought, for a GIVEN rule."""


# A reduced cost this small relative to the prices that make it up is the LP's rounding, not
# a reason to buy all of an unbounded instrument (which would make the bound minus infinity).
_RELATIVE_DUAL_NOISE = 1e-7


def cost_lower_bound(
    case: Case, basis: Basis, rules: Sequence[PricedRule], fixed: Mapping[str, float] | None = None
) -> float:
    """The least annual cost any mix meeting ``rules`` can have, given their prices.

    Parameters
    ----------
    fixed
        Instrument id -> quantity in its own unit, for instruments held at a chosen value
        (the integer choices of a MILP).
    """
    fixed = fixed or {}
    items = list(case.instruments)
    index = {item.id: j for j, item in enumerate(items)}
    per_money = np.array([unit_cost(item) / unit_amount(item) for item in items])
    priced = np.zeros(len(items))  # sum_r lambda_r g_rj, per unit of money
    scale = np.zeros(len(items))  # sum_r lambda_r |g_rj|, for the noise threshold
    bound = 0.0
    for rule in rules:
        if rule.price <= 0.0:
            continue
        sign = 1.0 if rule.floor else -1.0
        bound += sign * rule.price * rule.amount
        for item_id in rule.members:
            j = index[item_id]
            weight = _counted(items[j], basis, rule) * rule.price
            priced[j] += sign * weight
            scale[j] += abs(weight)
    for j, item in enumerate(items):
        reduced = float(per_money[j] - priced[j])
        money = unit_amount(item)
        if item.id in fixed:
            bound += reduced * fixed[item.id] * money
            continue
        if reduced >= -_RELATIVE_DUAL_NOISE * (abs(per_money[j]) + scale[j]):
            continue  # the cheapest amount of it is none
        high = upper_bound(item)
        if high is None:
            return -math.inf  # prices under which buying without end would pay: no bound
        bound += reduced * high * money
    return bound


def _counted(item: AnyInstrument, basis: Basis, rule: PricedRule) -> float:
    """Money counted towards ``rule`` per unit of money of ``item`` bought."""
    credit = basis.credit.get(item.id, 0.0)
    if rule.counts is Counts.MONEY:
        return 1.0
    if rule.counts is Counts.OWN_CREDIT:
        return item.credit
    if rule.counts is Counts.CREDITED:
        return credit
    if rule.counts is Counts.GIVEN:
        return (rule.weights or {}).get(item.id, 0.0)
    loss = rule.loss or 0.0
    if isinstance(item, Insurance):  # share x clip(b - a, 0, l) per share x l of money
        return credit * min(max(loss - item.attachment, 0.0), item.limit) / item.limit
    if isinstance(item, Parametric):  # pays only once the loss is strictly above the trigger
        return credit if loss > item.trigger else 0.0
    return credit
