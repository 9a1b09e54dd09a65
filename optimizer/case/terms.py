"""What one unit of each instrument's decision costs, credits and pays (model.md section 1).

The decision variable is the instrument's natural quantity: money for cash and guarantees,
a share of the layer for insurance, a count of units for parametric cover. Everything here
is in money of the case currency; the model builder divides by its scale.
"""

from __future__ import annotations

from collections.abc import Mapping

from optimizer.case.schema import Cash, Guarantee, Insurance, Kind, Parametric

AnyInstrument = Cash | Guarantee | Insurance | Parametric


def unit_cost(item: AnyInstrument) -> float:
    """Annual cost of one unit of the decision (money per unit)."""
    if isinstance(item, Cash):
        return item.cost_rate
    if isinstance(item, Guarantee):
        return item.fee_rate
    if isinstance(item, Insurance):
        return item.premium_rate * item.limit  # rate on line, charged on share x limit
    return item.premium


def unit_amount(item: AnyInstrument) -> float:
    """Money bought per unit of the decision: 1 for cash/guarantees, the limit, the payout."""
    if isinstance(item, Insurance):
        return item.limit
    if isinstance(item, Parametric):
        return item.payout
    return 1.0


def unit_face(item: AnyInstrument, credit: float) -> float:
    """Credited face per unit of the decision: credit x amount (face mode, caps, liquidity)."""
    return credit * unit_amount(item)


def unit_funds_at(item: AnyInstrument, loss: float, credit: float) -> float:
    """Credited money one unit pays towards a single incident of size ``loss`` (ladder test).

    Cash and guarantees pay from the first yen; a layer pays clip(loss - a, 0, l); parametric
    cover pays only once the loss is strictly above its trigger, because the ladder checks the
    left limit at the trigger (model.md section 2). ``credit`` is the effective credit
    factor (the instrument's own, times any regime factor).
    """
    if isinstance(item, Insurance):
        return credit * min(max(loss - item.attachment, 0.0), item.limit)
    if isinstance(item, Parametric):
        return credit * item.payout if item.trigger < loss else 0.0
    return credit


def upper_bound(item: AnyInstrument) -> float | None:
    """Largest decision on offer, in the decision's own unit; None means unbounded."""
    if isinstance(item, Insurance):
        return item.max_share
    if isinstance(item, Parametric):
        return item.max_units
    return item.max_amount


def is_on_offer(item: AnyInstrument) -> bool:
    """False when nothing of the instrument can be bought (max_amount or max_units of 0).

    Such an instrument has no price at which it would enter a mix: the answer says so
    instead of quoting a break-even price.
    """
    return upper_bound(item) != 0


def is_insurance_like(item: AnyInstrument) -> bool:
    """Insurance and parametric cover count against the insurance cap (model.md section 3)."""
    return item.kind in (Kind.INSURANCE, Kind.PARAMETRIC)


def decision_unit(item: AnyInstrument) -> str:
    """Name of the decision's unit, for messages."""
    return {Kind.INSURANCE: "share", Kind.PARAMETRIC: "units"}.get(item.kind, "amount")


def has_integer_terms(item: AnyInstrument) -> bool:
    """Whole units, a minimum line or an all-or-nothing layer: the model becomes a MILP."""
    if isinstance(item, Insurance):
        return item.min_share is not None or item.all_or_nothing
    return isinstance(item, Parametric) and item.integer_units


PRICE_FIELD: Mapping[Kind, str] = {
    Kind.CASH: "cost_rate",
    Kind.GUARANTEE: "fee_rate",
    Kind.INSURANCE: "premium_rate",
    Kind.PARAMETRIC: "premium",
}
"""The case field that prices each kind of instrument (model.md section 1)."""


def price_of(item: AnyInstrument) -> float:
    """Current value of an instrument's price field (``PRICE_FIELD``)."""
    return float(getattr(item, PRICE_FIELD[item.kind]))
