"""Knobs: the numbers of a case that one fix may change, and which way loosens each.

A knob is one field (a cap, a floor, an instrument's capacity or minimum line) with its
current value, the loosest value it can take, and the elastic copy of the model whose slack
bounds from below how far the relaxed LP needs it moved. Every knob here is monotone:
moving it towards its loosest value never makes a feasible case infeasible, which is what
lets optimizer/coverage/least_fix.py bisect on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from optimizer.case.money import percent, short_money
from optimizer.case.phrase import Money, Phrase, Rate, phrase
from optimizer.case.schema import Case, Cash, Guarantee, Insurance, Parametric
from optimizer.coverage.model import capacity_row_name
from optimizer.coverage.rows import Elastic, Family
from optimizer.rules.basis import insurance_cap
from optimizer.rules.requirement import Basis


@dataclass(frozen=True)
class Knob:
    """One number a fix may change (see the module docstring)."""

    field: str
    """Case field path, as a user would edit it."""
    current: float
    loosest: float | None
    """The value past which the limit no longer limits; None: the field can be removed (no
    limit), reached from below for a cap and at zero for a minimum line."""
    rises: bool
    """True when raising the value loosens the limit (caps), False for floors and minimum lines."""
    whole: bool
    """Values are whole numbers (units of a parametric cover bought whole)."""
    per_money: float
    """Change of the value per unit of money of slack in the elastic copy's row."""
    elastic: Elastic | None
    """The elastic copy whose least slack bounds the change from below; None: no such bound."""
    apply: Callable[[Case, float | None], Case]
    """The case with the knob at a value (None: the limit removed)."""
    words: Callable[[float], str]
    """The change to a value, in words (0 for a minimum line removed)."""
    said: Callable[[float], Phrase]
    """``words`` as a phrase for other languages (optimizer/case/phrase.py)."""


def case_knobs(case: Case, basis: Basis, counterparties: tuple[str, ...] = ()) -> list[Knob]:
    """Every knob of the case, policy limits first, then instruments in case order.

    ``counterparties`` names the counterparties the words of the counterparty-cap fix mention.
    """
    requirement = basis.amount
    limits = case.constraints
    knobs: list[Knob] = []
    if limits.min_cash_fraction:
        knobs.append(_policy(case, "min_cash_fraction", Family.MIN_CASH, requirement, rises=False))
    if limits.liquidity is not None and limits.liquidity.min_fraction > 0:
        knobs.append(_liquidity(case, requirement))
    if limits.max_counterparty_fraction is not None and limits.max_counterparty_fraction < 1:
        knob = _policy(case, "max_counterparty_fraction", Family.COUNTERPARTY_CAP, requirement, rises=True)
        if counterparties:
            names = counterparties[0] if len(counterparties) == 1 else ", ".join(counterparties)
            knob = _with_suffix(knob, f" (so {names} can provide more)", names)
        knobs.append(knob)
    cap = insurance_cap(case, basis)
    if cap is not None and cap.fraction < 1:
        if cap.assumption is not None:  # the regime's cap is the stricter, and may be assumed looser
            knobs.append(_regime_cap(case, cap.assumption, cap.fraction, requirement))
        elif limits.max_insurance_fraction is not None and cap.fraction == limits.max_insurance_fraction:
            knobs.append(_policy(case, "max_insurance_fraction", Family.INSURANCE_CAP, requirement, rises=True))
    for index, item in enumerate(case.instruments):
        knobs += _instrument_knobs(index, item, case.currency)
    return knobs


def _with_suffix(knob: Knob, suffix: str, names: str) -> Knob:
    words, said = knob.words, knob.said
    return replace(
        knob,
        words=lambda value: words(value) + suffix,
        said=lambda value: phrase("diagnosis.fix_counterparty", fix=said(value), names=names),
    )


def _policy(case: Case, name: str, family: Family, requirement: float, *, rises: bool) -> Knob:
    current = float(getattr(case.constraints, name))
    field = f"constraints.{name}"
    verb = "raise" if rises else "lower"

    def apply(base: Case, value: float | None) -> Case:
        constraints = base.constraints.model_copy(update={name: value})
        return base.model_copy(update={"constraints": constraints})

    return Knob(
        field=field,
        current=current,
        loosest=1.0 if rises else 0.0,
        rises=rises,
        whole=False,
        per_money=1.0 / requirement,
        # A cap per counterparty is one field for all of them: one slack shared by their rows.
        elastic=Elastic(soft=frozenset({family}), shared=family is Family.COUNTERPARTY_CAP),
        apply=apply,
        words=lambda value: f"{verb} {field} from {percent(current)} to {percent(value)}",
        said=lambda value: phrase(f"diagnosis.fix_{verb}", field=field, current=Rate(current), proposed=Rate(value)),
    )


def _liquidity(case: Case, requirement: float) -> Knob:
    liquidity = case.constraints.liquidity
    assert liquidity is not None

    def apply(base: Case, value: float | None) -> Case:
        changed = liquidity.model_copy(update={"min_fraction": value or 0.0})
        return base.model_copy(update={"constraints": base.constraints.model_copy(update={"liquidity": changed})})

    current = liquidity.min_fraction
    return Knob(
        field="constraints.liquidity.min_fraction",
        current=current,
        loosest=0.0,
        rises=False,
        whole=False,
        per_money=1.0 / requirement,
        elastic=Elastic(soft=frozenset({Family.LIQUIDITY})),
        apply=apply,
        words=lambda value: f"lower the liquidity floor from {percent(current)} to {percent(value)} of R",
        said=lambda value: phrase("diagnosis.fix_liquidity", current=Rate(current), proposed=Rate(value)),
    )


def _regime_cap(case: Case, assumption: str, current: float, requirement: float) -> Knob:
    # The regime's cap is the stricter one: only changing its assumption loosens it (a
    # confirmed rule has no assumption a user may change, and gets no knob).
    field = f"requirement.assumptions.{assumption}"

    def apply(base: Case, value: float | None) -> Case:
        assumptions = {**(base.requirement.assumptions or {}), assumption: 1.0 if value is None else value}
        return base.model_copy(update={"requirement": base.requirement.model_copy(update={"assumptions": assumptions})})

    return Knob(
        field=field,
        current=current,
        loosest=1.0,
        rises=True,
        whole=False,
        per_money=1.0 / requirement,
        elastic=Elastic(soft=frozenset({Family.INSURANCE_CAP})),
        apply=apply,
        words=lambda value: (
            f"assume the regime lets insurance cover more: {field} {percent(current)} -> {percent(value)}"
        ),
        said=lambda value: phrase("diagnosis.fix_regime_cap", field=field, current=Rate(current), proposed=Rate(value)),
    )


def _set_item(base: Case, index: int, update: dict[str, object]) -> Case:
    item = base.instruments[index].model_copy(update=update)
    return base.model_copy(update={"instruments": (*base.instruments[:index], item, *base.instruments[index + 1 :])})


def _instrument_knobs(index: int, item: Cash | Guarantee | Insurance | Parametric, currency: str) -> list[Knob]:
    row = capacity_row_name(index, item.id)
    elastic = Elastic(soft=frozenset({Family.CAPACITY}), only_row=row)
    knobs = []
    if isinstance(item, Insurance):
        if item.max_share < 1:
            current_share = item.max_share
            knobs.append(
                Knob(
                    field=f"instruments[{index}].max_share",
                    current=current_share,
                    loosest=1.0,
                    rises=True,
                    whole=False,
                    per_money=1.0 / item.limit,
                    elastic=elastic,
                    apply=lambda base, value: _set_item(base, index, {"max_share": value or 1.0}),
                    words=lambda value: (
                        f"buy a larger line of {item.id}: max_share {percent(current_share)} -> {percent(value)}"
                    ),
                    said=lambda value: phrase(
                        "diagnosis.fix_max_share", id=item.id, current=Rate(current_share), proposed=Rate(value)
                    ),
                )
            )
        if item.min_share is not None:
            floor = item.min_share
            knobs.append(
                Knob(
                    field=f"instruments[{index}].min_share",
                    current=floor,
                    loosest=None,
                    rises=False,
                    whole=False,
                    per_money=1.0 / item.limit,
                    elastic=None,  # the relaxed LP has no minimum line: no bound from it
                    apply=lambda base, value: _set_item(base, index, {"min_share": value or None}),
                    words=lambda value: (
                        f"accept a smaller minimum line of {item.id}: min_share {percent(floor)} -> {percent(value)}"
                        if value
                        else f"drop the minimum line of {item.id} (min_share {percent(floor)})"
                    ),
                    said=lambda value: (
                        phrase("diagnosis.fix_min_share", id=item.id, current=Rate(floor), proposed=Rate(value))
                        if value
                        else phrase("diagnosis.fix_drop_min_share", id=item.id, current=Rate(floor))
                    ),
                )
            )
    elif isinstance(item, Parametric):
        if item.max_units is not None:
            units = item.max_units
            knobs.append(
                Knob(
                    field=f"instruments[{index}].max_units",
                    current=units,
                    loosest=None,
                    rises=True,
                    whole=item.integer_units,
                    per_money=1.0 / item.payout,
                    elastic=elastic,
                    apply=lambda base, value: _set_item(base, index, {"max_units": value}),
                    words=lambda value: f"offer more units of {item.id}: max_units {units:g} -> {value:.10g}",
                    said=lambda value: phrase("diagnosis.fix_max_units", id=item.id, current=units, proposed=value),
                )
            )
    elif item.max_amount is not None:
        amount = item.max_amount
        knobs.append(
            Knob(
                field=f"instruments[{index}].max_amount",
                current=amount,
                loosest=None,
                rises=True,
                whole=False,
                per_money=1.0,
                elastic=elastic,
                apply=lambda base, value: _set_item(base, index, {"max_amount": value}),
                words=lambda value: (
                    f"raise {item.id}'s max_amount from {short_money(amount, currency)} "
                    f"to {short_money(value, currency)}"
                ),
                said=lambda value: phrase(
                    "diagnosis.fix_max_amount",
                    id=item.id,
                    current=Money(amount, currency),
                    proposed=Money(value, currency),
                ),
            )
        )
    return knobs
