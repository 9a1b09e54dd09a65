"""Explain an infeasible case: what cannot be covered, by how much, and the cheapest fix.

An elastic copy of the model lets every "enough of something" row (the requirement, the cash
floor, the liquidity floor) fall short, by one slack per family, and minimises the total
shortfall (model.md section 3). The limits that hold against it are the rows and capacities
with a non-zero dual in that copy. Then each such limit is loosened on its own, by the least
that makes the case feasible, and the resulting case is optimised: the cheapest one is the
cheapest single change.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from optimizer.case.money import percent, short_money
from optimizer.case.schema import Case, Cash, Guarantee, Insurance, Parametric
from optimizer.coverage.collect import collect_duals, describe_row
from optimizer.coverage.model import build_model
from optimizer.coverage.rows import DEMAND_FAMILIES, LIMIT_FAMILIES, CoverageModel, Elastic, Family, Row
from optimizer.coverage.solution import Fix, Shortfall
from optimizer.coverage.solve import Outcome, SolverName, solve
from optimizer.rules.basis import InsuranceCap, insurance_cap
from optimizer.rules.requirement import Basis

_TINY = 1e-9


def _round_up(value: float, digits: int = 4) -> float:
    """Round up to ``digits`` significant digits, after forgiving solver noise of 1e-9.

    The proposal a user reads (80%, ¥5.0bn) is then a number they would type, and it is never
    below the least loosening that works.
    """
    if value <= 0:
        return 0.0
    step = 10.0 ** (math.floor(math.log10(value)) - digits + 1)
    return float(math.ceil(value * (1 - 1e-9) / step) * step)


def diagnose(
    case: Case,
    basis: Basis,
    solver: SolverName,
    optimise: Callable[[Case], float | None],
) -> tuple[tuple[Shortfall, ...], tuple[Fix, ...]]:
    """Shortfalls of an infeasible case and the single changes that fix it, cheapest first.

    ``optimise`` returns the optimal cost of a case, or None when it is still infeasible.
    """
    model = build_model(case, basis, Elastic(soft=DEMAND_FAMILIES))
    run = solve(model, solver)
    if run.outcome is not Outcome.OPTIMAL:
        msg = f"the diagnosis model could not be solved ({run.detail})"
        raise RuntimeError(msg)
    duals = collect_duals(model)
    limits = [row for name, row in model.rows.items() if row.family in LIMIT_FAMILIES and abs(duals[name]) > _TINY]
    shortfalls = _shortfalls(model, duals, limits)
    if not shortfalls:
        return (_integrality_shortfall(case),), ()
    candidates = limits + [
        row
        for row in model.rows.values()
        if row.family in (Family.MIN_CASH, Family.LIQUIDITY) and str(row.family) in _short(model)
    ]
    fixes = [fix for row in candidates if (fix := _fix(case, basis, solver, row, optimise))]
    return shortfalls, tuple(sorted(fixes, key=lambda fix: fix.total_cost))


def _short(model: CoverageModel) -> dict[str, float]:
    return {
        key: (var.varValue or 0.0) * model.scale
        for key, var in model.relaxations.items()
        if (var.varValue or 0.0) > _TINY
    }


def _shortfalls(model: CoverageModel, duals: dict[str, float], limits: list[Row]) -> tuple[Shortfall, ...]:
    currency = model.case.currency
    words = tuple(describe_row(model.case, row, currency) for row in limits)
    if not words:
        because = "the instruments on offer are not enough"
    else:
        because = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
    result = []
    for family, amount in _short(model).items():
        what = _demand_words(model, family, duals)
        result.append(
            Shortfall(
                constraint=family,
                shortfall=amount,
                text=f"{because}: {short_money(amount, currency)} of {what} cannot be covered",
                limits=words,
            )
        )
    return tuple(result)


def _demand_words(model: CoverageModel, family: str, duals: dict[str, float]) -> str:
    currency = model.case.currency
    requirement = short_money(model.basis.amount, currency)
    if family == Family.LADDER:
        # The tight ladder row with the largest dual is the loss size where the gap costs most.
        rows = [r for n, r in model.rows.items() if r.family is Family.LADDER and duals[n] > _TINY]
        worst = max(rows, key=lambda r: duals[r.name], default=None)
        where = f" at a single loss of {short_money(worst.loss or 0, currency)}" if worst else ""
        return f"the {requirement} requirement{where}"
    if family == Family.FACE:
        return f"the {requirement} requirement"
    if family == Family.MIN_CASH:
        return "the cash floor"
    if family == Family.MANDATORY_COVER:
        return "the cover the regime makes mandatory"
    return "the liquidity floor"


def _integrality_shortfall(case: Case) -> Shortfall:
    terms = [
        item.id
        for item in case.instruments
        if (isinstance(item, Insurance) and (item.min_share or item.all_or_nothing))
        or (isinstance(item, Parametric) and item.integer_units)
    ]
    text = (
        "the case could be met with fractional lines and units, but not with the whole-unit, "
        f"minimum-line or all-or-nothing terms of {', '.join(terms)}"
    )
    return Shortfall("integrality", 0.0, text, tuple(terms))


def _fix(
    case: Case, basis: Basis, solver: SolverName, row: Row, optimise: Callable[[Case], float | None]
) -> Fix | None:
    # The least loosening of this one limit that makes the case feasible, if any.
    elastic = build_model(case, basis, Elastic(soft=frozenset({row.family}), only_row=row.name))
    if solve(elastic, solver).outcome is not Outcome.OPTIMAL:
        return None
    slack = float(sum((var.varValue or 0.0) for var in elastic.relaxations.values()))
    room = _round_up(slack * basis.amount)
    change = _changed_case(case, basis, row, room)
    if change is None:
        return None
    changed, field, current, proposed, words = change
    cost = optimise(changed)
    if cost is None:
        return None
    return Fix(change=words, field=field, current=current, proposed=proposed, total_cost=cost)


def _fraction(value: float) -> float:
    # Rounding the room up (_round_up) can carry a fraction just past 0 or 1, where the
    # least loosening is the bound itself; whether that is enough, optimise() then decides.
    return min(max(value, 0.0), 1.0)


def _changed_case(case: Case, basis: Basis, row: Row, room: float) -> tuple[Case, str, float | None, float, str] | None:
    currency = case.currency
    limits = case.constraints
    requirement = basis.amount
    if row.family is Family.CAPACITY:
        index = next(i for i, item in enumerate(case.instruments) if item.id == row.instrument)
        item = case.instruments[index]
        if isinstance(item, Insurance):
            field, current, proposed = "max_share", item.max_share, _fraction(item.max_share + room / item.limit)
            if proposed == current:
                return None  # more than the whole layer: no single change of this term helps
            words = f"buy a larger line of {item.id}: max_share {percent(current)} -> {percent(proposed)}"
        elif isinstance(item, Parametric):
            current = item.max_units or 0.0
            field, proposed = "max_units", current + room / item.payout
            words = f"offer more units of {item.id}: max_units {current:g} -> {proposed:.4g}"
        else:
            assert isinstance(item, Cash | Guarantee)
            current = item.max_amount or 0.0
            field, proposed = "max_amount", current + room
            words = (
                f"raise {item.id}'s max_amount from {short_money(current, currency)} "
                f"to {short_money(proposed, currency)}"
            )
        changed_item = item.model_copy(update={field: proposed})
        instruments = case.instruments[:index] + (changed_item,) + case.instruments[index + 1 :]
        changed = case.model_copy(update={"instruments": instruments})
        return changed, f"instruments[{index}].{field}", current, proposed, words
    if row.family is Family.INSURANCE_CAP and basis.insurance_cap is not None:
        cap = insurance_cap(case, basis)
        own = limits.max_insurance_fraction
        if cap is not None and (own is None or cap.fraction < own):
            return _regime_cap_change(case, cap, room / requirement)
    if row.family is Family.LIQUIDITY:
        assert limits.liquidity is not None
        current = limits.liquidity.min_fraction
        proposed = _fraction(current - room / requirement)
        liquidity = limits.liquidity.model_copy(update={"min_fraction": proposed})
        update: dict[str, object] = {"liquidity": liquidity}
        field = "constraints.liquidity.min_fraction"
        words = f"lower the liquidity floor from {percent(current)} to {percent(proposed)} of R"
    else:
        field_name, direction = {
            Family.MIN_CASH: ("min_cash_fraction", -1.0),
            Family.INSURANCE_CAP: ("max_insurance_fraction", 1.0),
            Family.COUNTERPARTY_CAP: ("max_counterparty_fraction", 1.0),
        }[row.family]
        current = getattr(limits, field_name)
        proposed = _fraction(current + direction * room / requirement)
        if proposed == current:
            return None
        update = {field_name: proposed}
        field = f"constraints.{field_name}"
        verb = "lower" if direction < 0 else "raise"
        words = f"{verb} {field} from {percent(current)} to {percent(proposed)}"
        if row.family is Family.COUNTERPARTY_CAP:
            words += f" (so {row.counterparty} can provide more)"
    constraints = limits.model_copy(update=update)
    return case.model_copy(update={"constraints": constraints}), field, current, proposed, words


def _regime_cap_change(case: Case, cap: InsuranceCap, room: float) -> tuple[Case, str, float, float, str] | None:
    # The regime's cap is the stricter one: only changing its assumption loosens it, and a
    # confirmed rule cannot be changed by the user.
    if cap.assumption is None:
        return None
    proposed = _fraction(cap.fraction + room)
    if proposed == cap.fraction:
        return None
    assumptions = {**(case.requirement.assumptions or {}), cap.assumption: proposed}
    requirement = case.requirement.model_copy(update={"assumptions": assumptions})
    field = f"requirement.assumptions.{cap.assumption}"
    words = f"assume the regime lets insurance cover more: {field} {percent(cap.fraction)} -> {percent(proposed)}"
    return case.model_copy(update={"requirement": requirement}), field, cap.fraction, proposed, words
