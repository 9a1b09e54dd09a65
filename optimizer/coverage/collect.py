"""collect_*: read a solved model back into the case's terms.

Values become allocations in money; row duals become prices (model.md section 6): the
marginal cost of R, the shadow price of every binding constraint, and for every instrument
not bought its reduced cost and break-even price. Duals of a MILP are taken from the LP
that fixes the integer choices (which lines are written, how many whole units), so they
answer "given these choices, what is one more yen of requirement worth".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulp

from optimizer.case.money import percent, short_money
from optimizer.case.schema import Case, Cash, Insurance, Parametric
from optimizer.case.terms import (
    PRICE_FIELD,
    AnyInstrument,
    has_integer_terms,
    is_on_offer,
    unit_amount,
    unit_cost,
    unit_funds_at,
    upper_bound,
)
from optimizer.coverage.certify import Counts, PricedRule
from optimizer.coverage.rows import (
    DEFINITION_FAMILIES,
    DEMAND_FAMILIES,
    CoverageModel,
    Family,
    Row,
    column_scale,
    row_unit,
)
from optimizer.coverage.solution import Allocation, Binding, LadderPoint, PriceSignal

# A decision counts as "bought" above this (in its own unit, relative); a row as binding when
# its slack is below this fraction of R.
_ZERO = 1e-9
_TIGHT = 1e-7
# Money / R below which a column value is solver noise (the solver's tolerance is 1e-10).
_NOISE = 1e-13


def collect_decisions(model: CoverageModel) -> dict[str, float]:
    """Instrument id -> bought quantity in the decision's own unit (amount, share, units)."""
    decisions = {}
    for item in model.case.instruments:
        column = model.decisions[item.id].varValue or 0.0  # money bought / R
        whole = model.whole_units.get(item.id)
        if whole is not None:  # whole units: the integer column itself, not money / payout
            decisions[item.id] = float(round(whole.varValue or 0.0))
            continue
        # Snap solver noise, so reports do not show -0.0 or 1.0000000002; in money / R, far
        # below the money tolerance of verify_solution (1e-9 R).
        value = 0.0 if abs(column) <= _NOISE else column * column_scale(item, model.scale)
        if item.id in model.rounded_units:  # whole units finer than the money tolerance (rows.is_fine_unit)
            value = float(round(value))
        bound = upper_bound(item)
        if bound is not None and abs(value - bound) <= 1e-12 * max(1.0, bound):
            value = bound
        decisions[item.id] = value
    return decisions


def collect_allocations(
    case: Case, credit: Mapping[str, float], decisions: Mapping[str, float]
) -> tuple[Allocation, ...]:
    """One allocation per instrument of the case, zeros included."""
    allocations = []
    for item in case.instruments:
        x = decisions[item.id]
        amount = x * unit_amount(item)
        bound = upper_bound(item)
        # Money to the cent and shares to 12 digits: the solver's last bits are noise.
        allocations.append(
            Allocation(
                id=item.id,
                kind=str(item.kind),
                counterparty=item.counterparty,
                amount=round(amount, 2),
                annual_cost=round(x * unit_cost(item), 2),
                credited=round(credit.get(item.id, 0.0) * amount, 2),
                share=round(x, 12) if isinstance(item, Insurance) else None,
                units=round(x, 12) if isinstance(item, Parametric) else None,
                at_capacity=bound is not None and bound > 0 and x >= bound * (1 - 1e-9),
            )
        )
    return tuple(allocations)


def fix_integer_choices(model: CoverageModel) -> None:
    """Turn a solved MILP into the LP with its integer choices fixed (for duals)."""
    for var in model.problem.variables():
        if var.cat == pulp.LpInteger:
            chosen = round(var.varValue or 0.0)
            var.lowBound = var.upBound = chosen
            var.cat = pulp.LpContinuous


def collect_raw_duals(model: CoverageModel) -> dict[str, float]:
    """Row name -> dual as the LP holds it (objective units, cost / R, per unit of the row)."""
    return {name: _constraint(model, name).pi or 0.0 for name in model.rows}


def _constraint(model: CoverageModel, name: str) -> pulp.LpConstraint:
    constraint = model.problem.get_constraint_by_name(name)
    if constraint is None:  # every Row is added to the problem under its own name
        msg = f"row {name!r} is not in the problem"
        raise KeyError(msg)
    return constraint


def collect_duals(model: CoverageModel) -> dict[str, float]:
    """Row name -> dual (annual cost per unit of money the row's right-hand side moves).

    The objective is cost / R and a row is held in units of ``row_unit`` money, so the LP's
    dual pi becomes pi x R / unit in money (1 for rows held in units of R).
    """
    raw = collect_raw_duals(model)
    return {name: raw[name] * model.scale / row_unit(model, row) for name, row in model.rows.items()}


@dataclass(frozen=True)
class Prices:
    """Prices read from the duals."""

    marginal_cost_of_requirement: float
    binding: tuple[Binding, ...]
    not_bought: tuple[PriceSignal, ...]


def price_solution(model: CoverageModel, decisions: Mapping[str, float], duals: Mapping[str, float]) -> Prices:
    """Marginal cost of R, binding constraints in words, break-even prices (model.md 6)."""
    return Prices(
        marginal_cost_of_requirement=_marginal_cost(model, decisions, duals),
        binding=_binding(model, decisions, duals),
        not_bought=_break_evens(model, decisions, duals),
    )


def _marginal_cost(model: CoverageModel, decisions: Mapping[str, float], duals: Mapping[str, float]) -> float:
    # Envelope theorem: d(cost)/dR = sum of dual x d(row)/dR. Rows scale with R through their
    # right-hand sides; the ladder row at b = R also moves on its left, because a layer that
    # is only partly used at R pays one more yen for each yen R grows.
    requirement = model.basis.amount
    total = 0.0
    for name, row in model.rows.items():
        moves = row.rhs_per_requirement
        if row.family is Family.LADDER and row.loss == requirement:
            for item in model.case.instruments:
                if isinstance(item, Insurance) and item.attachment < requirement < item.attachment + item.limit:
                    moves -= model.basis.credit.get(item.id, 0.0) * decisions[item.id]
        total += duals.get(name, 0.0) * moves
    return total


def _binding(model: CoverageModel, decisions: Mapping[str, float], duals: Mapping[str, float]) -> tuple[Binding, ...]:
    currency = model.case.currency
    found = []
    for name, row in model.rows.items():
        constraint = _constraint(model, name)
        slack = abs(constraint.slack or 0.0)
        dual = duals.get(name, 0.0)
        if row.family not in DEFINITION_FAMILIES and slack <= _TIGHT and abs(dual) > _ZERO:
            found.append(Binding(name, str(row.family), describe_row(model.case, row, currency), dual))
    for item in model.case.instruments:
        bound = upper_bound(item)
        if bound is not None and bound > 0 and decisions[item.id] >= bound * (1 - 1e-9):
            found.append(Binding(f"capacity__{item.id}", "capacity", describe_capacity(item, currency)))
    return tuple(found)


def describe_row(case: Case, row: Row, currency: str) -> str:
    """A constraint in the case's words."""
    limits = case.constraints
    amount = short_money(row.rhs, currency)
    if row.family is Family.LADDER:
        return f"funds available for a single loss of {amount} must be at least {amount} (ladder test)"
    if row.family is Family.FACE:
        return f"cash plus credited cover must reach the requirement of {amount}"
    if row.family is Family.MIN_CASH:
        return f"cash must be at least {percent(limits.min_cash_fraction or 0)} of the requirement ({amount})"
    if row.family is Family.COUNTERPARTY_CAP:
        share = percent(limits.max_counterparty_fraction or 0)
        return f"{row.counterparty} may provide at most {share} of the requirement ({amount} credited)"
    if row.family is Family.INSURANCE_CAP:
        # The cap may be the regime's rather than the case's: the row carries the fraction.
        share = percent(row.rhs_per_requirement)
        if row.note:
            return f"insurance may cover at most {share} of the requirement ({amount}; {row.note})"
        return f"insurance may cover at most {share} of the requirement ({amount})"
    if row.family is Family.LIQUIDITY:
        liquidity = limits.liquidity
        assert liquidity is not None
        return (
            f"cover paying within {liquidity.days} days must be at least "
            f"{percent(liquidity.min_fraction)} of the requirement ({amount})"
        )
    if row.family is Family.MANDATORY_COVER:
        return f"{row.note} must reach {amount} (mandatory)"
    if row.family is Family.RISK_LIMIT:  # worded where it is built (risk_limits.py)
        return row.note or row.name
    item = case.instrument(row.instrument or "")
    return describe_capacity(item, currency)


def describe_capacity(item: AnyInstrument, currency: str) -> str:
    """An instrument's upper bound in words."""
    if isinstance(item, Insurance):
        return (
            f"{item.id} is offered up to a {percent(item.max_share)} share of its "
            f"{short_money(item.limit, currency)} layer"
        )
    if isinstance(item, Parametric):
        return f"{item.id} is offered up to {item.max_units:g} units of {short_money(item.payout, currency)}"
    bound = item.max_amount or 0.0
    noun = "cash" if isinstance(item, Cash) else "guarantee"
    name = noun if item.id == noun else f"{item.id} ({noun})"
    return f"{name} is capped at {short_money(bound, currency)}"




def _break_evens(
    model: CoverageModel, decisions: Mapping[str, float], duals: Mapping[str, float]
) -> tuple[PriceSignal, ...]:
    # Reduced cost from the row duals: c_j - sum_r pi_r a_rj, over the model's own rows
    # (requirement, running totals, policy) with the LP's own duals and coefficients, so the
    # same formula serves LPs and the fixed LP of a MILP, whatever bounds the solver put on a
    # column; then from cost / R per column unit to money per unit of decision.
    # Accumulated row by row over rows with a non-zero dual: O(their entries), not rows x columns.
    priced: dict[str, float] = {}
    for name, row in model.rows.items():
        dual = duals.get(name, 0.0) * row_unit(model, row) / model.scale  # back to the LP's pi
        if dual != 0.0:
            for var, coefficient in _constraint(model, name).items():
                priced[var.name] = priced.get(var.name, 0.0) + dual * coefficient
    signals = []
    for item in model.case.instruments:
        # Duals price fractional changes; they cannot say when a whole unit or a minimum line
        # would pay, so no break-even is claimed for instruments with integer terms.
        if decisions[item.id] > 0 or has_integer_terms(item) or not is_on_offer(item):
            continue  # (nothing on offer: no price makes it enter; Solution.not_on_offer says so)
        column = column_scale(item, model.scale)
        value = priced.get(model.decisions[item.id].name, 0.0)
        reduced = unit_cost(item) - value * model.scale / column
        current = float(getattr(item, PRICE_FIELD[item.kind]))
        per_price_unit = item.limit if isinstance(item, Insurance) else 1.0
        signals.append(
            PriceSignal(
                id=item.id,
                kind=str(item.kind),
                price_field=PRICE_FIELD[item.kind],
                current=current,
                reduced_cost=reduced,
                break_even=current - reduced / per_price_unit,
            )
        )
    return tuple(signals)


def collect_ladder(
    case: Case, credit: Mapping[str, float], decisions: Mapping[str, float], requirement: float
) -> tuple[LadderPoint, ...]:
    """Funds available against single-incident loss size, per instrument, for the ladder chart.

    Points run from 0 to R (and on to the top of any bought layer reaching past R, up to 2R);
    at a parametric trigger two points are given, just before and just after it pays.
    """
    top = requirement
    for item in case.instruments:
        if isinstance(item, Insurance) and decisions[item.id] > 0:
            top = max(top, min(item.attachment + item.limit, 2 * requirement))
    losses = {0.0, requirement, top}
    triggers = set()
    for item in case.instruments:
        if isinstance(item, Insurance):
            losses |= {item.attachment, item.attachment + item.limit}
        elif isinstance(item, Parametric):
            losses.add(item.trigger)
            triggers.add(item.trigger)
    # Only what is bought pays: filtered once, not at every point (1,000 instruments, 1,300 points).
    bought = [item for item in case.instruments if decisions[item.id] > 0]
    points = []
    for loss in sorted(x for x in losses if 0 <= x <= top):
        points.append(_ladder_point(bought, credit, decisions, loss, after=False))
        if loss in triggers:
            points.append(_ladder_point(bought, credit, decisions, loss, after=True))
    return tuple(points)


def _ladder_point(
    bought: Sequence[AnyInstrument],
    credit: Mapping[str, float],
    decisions: Mapping[str, float],
    loss: float,
    *,
    after: bool,
) -> LadderPoint:
    # "after" evaluates the right limit at a trigger: the loss just above it.
    probe = loss * (1 + 1e-12) + 1e-9 if after else loss
    parts = {item.id: decisions[item.id] * unit_funds_at(item, probe, credit.get(item.id, 0.0)) for item in bought}
    return LadderPoint(loss=loss, funds=sum(parts.values()), by_instrument=parts)


_COUNTS = {
    Family.LADDER: Counts.LADDER,
    Family.FACE: Counts.CREDITED,
    Family.MIN_CASH: Counts.MONEY,
    Family.COUNTERPARTY_CAP: Counts.CREDITED,
    Family.INSURANCE_CAP: Counts.CREDITED,
    Family.LIQUIDITY: Counts.CREDITED,
    Family.MANDATORY_COVER: Counts.OWN_CREDIT,
}


def price_rules(model: CoverageModel, duals: Mapping[str, float]) -> tuple[PricedRule, ...]:
    """The case's rules with the LP's duals as prices, for verify_solution's optimality check.

    Which instruments count towards a rule is read from the row; what each counts (its credit,
    what it pays at a loss size) is left to optimizer/coverage/certify.py to recompute from
    the case, so a coefficient the solver lost cannot hide in both places. A dual of the
    wrong sign (solver noise on a slack row) is a price of zero: any non-negative prices
    give a valid bound.
    """
    owner = {var.name: item_id for item_id, var in model.decisions.items()}
    every = frozenset(model.decisions)
    rules = []
    for name, row in model.rows.items():
        counts = _COUNTS.get(row.family)
        if counts is None:
            continue  # definitions (running totals, whole units) and capacity rows
        floor = row.family in DEMAND_FAMILIES
        price = duals.get(name, 0.0) if floor else -duals.get(name, 0.0)
        if row.family is Family.LADDER:
            members = every
        else:
            members = frozenset(owner[var.name] for var in _constraint(model, name) if var.name in owner)
        rules.append(PricedRule(max(price, 0.0), floor, row.rhs, members, counts, row.loss))
    return tuple(rules)
