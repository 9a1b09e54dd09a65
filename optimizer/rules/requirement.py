"""The requirement R and how each instrument is credited against it.

A case gives R directly (`requirement.amount`) or names a regime rulebook; either way the
optimiser receives a Basis (optimizer/rules/basis.py): the amount, the effective credit factor of
every instrument, the instruments the rule does not accept with the reason, and the
explanation of the figure.
"""

from __future__ import annotations

from optimizer.case.schema import Case
from optimizer.rules.basis import Basis, Eligibility, Term
from optimizer.rules.regimes import regime_basis

__all__ = ["Basis", "requirement_basis"]


def requirement_basis(case: Case) -> Basis:
    """R and the credit of each instrument: as given in the case, or computed by its regime."""
    amount = case.requirement.amount
    if amount is None:  # check_case guarantees exactly one of amount/regime
        return regime_basis(case)
    return Basis(
        amount=amount,
        credit={item.id: item.credit for item in case.instruments},
        formula="R = requirement.amount",
        breakdown=(Term("requirement.amount", amount, "given in the case", True, "case", "the case"),),
        eligibility=tuple(
            Eligibility(item.id, item.kind, item.kind, 1.0, item.credit, "case", "the case")
            for item in case.instruments
        ),
    )
