"""Constraints in the case's words: English text, and the same as a phrase for other languages.

``describe_row`` and ``describe_capacity`` write what binds (and what holds against an
infeasible case) in English, for the CLI and the JSON answer; ``row_phrase`` and
``capacity_phrase`` give the same sentence as a catalogue key under ``binds.`` and its
parameters (optimizer/case/phrase.py), so the workbench can say it in Japanese. Rendered in
English, each phrase is the English text exactly (tests/test_messages.py).
"""

from __future__ import annotations

from optimizer.case.money import percent, short_money
from optimizer.case.phrase import Money, Phrase, Rate, phrase
from optimizer.case.schema import Case, Cash, Insurance, Parametric
from optimizer.case.terms import AnyInstrument
from optimizer.coverage.rows import Family, Row


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




def row_phrase(case: Case, row: Row) -> Phrase:
    """``describe_row`` as a phrase (key ``binds.<family>``)."""
    limits = case.constraints
    amount = Money(row.rhs, case.currency)
    if row.family is Family.LADDER:
        return phrase("binds.ladder", amount=amount)
    if row.family is Family.FACE:
        return phrase("binds.face", amount=amount)
    if row.family is Family.MIN_CASH:
        return phrase("binds.min_cash", share=Rate(limits.min_cash_fraction or 0), amount=amount)
    if row.family is Family.COUNTERPARTY_CAP:
        share = Rate(limits.max_counterparty_fraction or 0)
        return phrase("binds.counterparty_cap", counterparty=row.counterparty, share=share, amount=amount)
    if row.family is Family.INSURANCE_CAP:
        share = Rate(row.rhs_per_requirement)
        if row.note:
            source = row.note_phrase or phrase("binds.untranslated", text=row.note)
            return phrase("binds.insurance_cap_from", share=share, amount=amount, source=source)
        return phrase("binds.insurance_cap", share=share, amount=amount)
    if row.family is Family.LIQUIDITY:
        liquidity = limits.liquidity
        assert liquidity is not None
        return phrase("binds.liquidity", days=liquidity.days, share=Rate(liquidity.min_fraction), amount=amount)
    if row.family is Family.MANDATORY_COVER:
        # The rule's own words come from the rulebook (data/regimes/), which is in English.
        return phrase("binds.mandatory_cover", rule=row.note, amount=amount)
    if row.family is Family.RISK_LIMIT:
        return row.note_phrase or phrase("binds.untranslated", text=row.note or row.name)
    return capacity_phrase(case.instrument(row.instrument or ""), case.currency)


def capacity_phrase(item: AnyInstrument, currency: str) -> Phrase:
    """``describe_capacity`` as a phrase (key ``binds.capacity_<kind>``)."""
    if isinstance(item, Insurance):
        return phrase(
            "binds.capacity_insurance", id=item.id, share=Rate(item.max_share), limit=Money(item.limit, currency)
        )
    if isinstance(item, Parametric):
        return phrase(
            "binds.capacity_parametric", id=item.id, units=item.max_units, payout=Money(item.payout, currency)
        )
    noun = "cash" if isinstance(item, Cash) else "guarantee"
    key = f"binds.capacity_{noun}" + ("_plain" if item.id == noun else "")
    return phrase(key, id=item.id, amount=Money(item.max_amount or 0.0, currency))
