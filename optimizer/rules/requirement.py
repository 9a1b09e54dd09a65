"""The requirement R and how each instrument is credited against it.

A case gives R directly (`requirement.amount`) or names a regime rulebook; either way the
optimiser receives a Basis (optimizer/rules/basis.py): the amount, the effective credit factor of
every instrument, the instruments the rule does not accept with the reason, and the
explanation of the figure.

R is checked here, once computed (optimizer/case/magnitudes.py): finite, within bounds, and
every instrument amount within a ratio of it. The check is installed into ``check_case``, so a
regime that yields R = 0 for an exchange is refused when the case is read, not in the solver.
"""

from __future__ import annotations

from optimizer.case.checks import install_requirement_check
from optimizer.case.errors import CaseError, Problem
from optimizer.case.magnitudes import amount_problems, amount_words, ratio_problem
from optimizer.case.magnitudes import requirement_problems as r_problems
from optimizer.case.phrase import phrase
from optimizer.case.schema import Case
from optimizer.rules.basis import Basis, Eligibility, Term
from optimizer.rules.regimes import regime_basis

__all__ = ["Basis", "requirement_basis", "requirement_problems"]


def requirement_basis(case: Case) -> Basis:
    """R and the credit of each instrument: as given in the case, or computed by its regime.

    Raises
    ------
    CaseError
        If R is not finite, below the smallest R accepted or above the largest, or an amount
        of the case is too far from it (optimizer/case/magnitudes.py). ``check_case`` refuses
        such cases already; this guards cases built in code.
    """
    basis = _basis(case)
    problems = _problems(case, basis)
    if problems:
        raise CaseError(problems)
    return basis


def requirement_problems(case: Case) -> list[Problem]:
    """Why R cannot be used for this case (empty if it can): the check ``check_case`` runs."""
    try:
        basis = _basis(case)
    except CaseError as error:
        return list(error.problems)
    return _problems(case, basis)


def _basis(case: Case) -> Basis:
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


def _problems(case: Case, basis: Basis) -> list[Problem]:
    cur = case.currency
    if basis.regime is None:
        path, origin = "requirement.amount", "given in the case"
        source = phrase("problems.origin_case")
    else:
        terms = ", ".join(f"{term.name} {amount_words(term.value, cur)}" for term in basis.breakdown)
        path, origin = "requirement.regime", f"computed by {basis.regime}: {basis.formula} with {terms}"
        source = phrase("problems.origin_regime", regime=basis.regime, formula=basis.formula, terms=terms)
    problems = r_problems(basis.amount, path, origin, cur, source)
    if problems:
        return problems  # amounts cannot be measured against an R that is itself wrong
    problems = amount_problems(case, basis.amount)
    for cover in basis.mandatory:
        problem = ratio_problem(f"requirement.regime ({cover.name})", cover.amount, basis.amount, cur)
        problems += [problem] if problem and cover.amount else []
    return problems


install_requirement_check(requirement_problems)
