"""The requirement R and how each instrument is credited against it.

A case gives R directly (`requirement.amount`) or names a regime rulebook; either way the
optimiser receives a Basis: the amount, the effective credit factor of every instrument and
the instruments the rule does not accept, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from optimizer.case import Case


@dataclass(frozen=True)
class Basis:
    """The requirement and how each instrument counts towards it."""

    amount: float
    """R in the case currency."""
    credit: Mapping[str, float]
    """Effective credit factor per instrument id (0 for instruments the rule does not accept)."""
    excluded: Mapping[str, str] = field(default_factory=dict)
    """Instrument id -> why the rule does not credit it."""
    source: str = "given in the case"
    """Where R comes from, in words."""


def requirement_basis(case: Case) -> Basis:
    """R and the credit of each instrument, for a case that states R directly."""
    amount = case.requirement.amount
    if amount is None:  # check_case guarantees exactly one of amount/regime
        msg = f"requirement.regime {case.requirement.regime!r} needs the regime rulebook calculator"
        raise ValueError(msg)
    return Basis(amount=amount, credit={item.id: item.credit for item in case.instruments})
