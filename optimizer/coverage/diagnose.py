"""Explain an infeasible case: what cannot be covered, by how much, and the least fixes.

An elastic copy of the model lets every "enough of something" row (the requirement, the cash
floor, the liquidity floor) fall short, by one slack per family, and minimises the total
shortfall (model.md section 3). The limits that hold against it are the rows and capacities
with a non-zero dual in that copy. Then each such limit (for a case with whole units, minimum
lines or all-or-nothing layers: every limit, those first) is loosened on its own by the least
that makes the case itself feasible (optimizer/coverage/least_fix.py), and the changed case is
optimised: the cheapest one is the cheapest single change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from optimizer.case.money import short_money
from optimizer.case.phrase import Listing, Money, Phrase, phrase
from optimizer.case.schema import Case, Insurance, Parametric
from optimizer.case.terms import has_integer_terms
from optimizer.coverage.collect import collect_duals
from optimizer.coverage.knobs import Knob, case_knobs
from optimizer.coverage.least_fix import TOLERANCE_WORDS, Budget, LeastFix, OutOfBudget
from optimizer.coverage.model import build_model
from optimizer.coverage.rows import DEMAND_FAMILIES, LIMIT_FAMILIES, CoverageModel, Elastic, Family, Row
from optimizer.coverage.solution import Fix, Shortfall
from optimizer.coverage.solve import Outcome, SolverName, solve
from optimizer.coverage.words import describe_row, row_phrase
from optimizer.rules.requirement import Basis

_TINY = 1e-9

MAX_RESOLVES = 200
"""Solves one diagnosis may spend searching for fixes (a bound on its time): relaxed LPs and
re-solves of the changed case alike."""


@dataclass(frozen=True)
class Diagnosis:
    """Why a case is infeasible and the single changes that fix it."""

    shortfalls: tuple[Shortfall, ...]
    fixes: tuple[Fix, ...]
    """Single changes, each the least of its field that works, cheapest first."""
    search: str
    """How the fixes were found and how close each is to the least change that works."""
    search_phrase: Phrase | None = None
    """``search`` as a phrase for other languages (optimizer/case/phrase.py)."""


def diagnose(
    case: Case,
    basis: Basis,
    solver: SolverName,
    optimise: Callable[[Case], float | None],
) -> Diagnosis:
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
    shortfalls = _shortfalls(model, duals, limits) or (_integrality_shortfall(case),)
    parties = tuple(row.counterparty for row in limits if row.counterparty)
    knobs = case_knobs(case, basis, parties)
    holding = [knob for knob in knobs if _holds(knob, limits, _short(model))]
    integer = any(has_integer_terms(item) for item in case.instruments)
    # With integer terms the relaxed LP's duals cannot say which single change works: every
    # knob is tried, those the LP points at first.
    candidates = holding + [knob for knob in knobs if knob not in holding] if integer else holding
    fixes, search, said = _least_fixes(case, basis, solver, optimise, candidates, integer)
    return Diagnosis(shortfalls, tuple(sorted(fixes, key=lambda fix: fix.total_cost)), search, said)


def _holds(knob: Knob, limits: list[Row], short: dict[str, float]) -> bool:
    # True when the relaxed LP says loosening this knob reduces the shortfall.
    if knob.elastic is None:
        return False
    [family] = knob.elastic.soft
    if family is Family.CAPACITY:
        return any(row.name == knob.elastic.only_row for row in limits)
    if family in (Family.MIN_CASH, Family.LIQUIDITY):
        return str(family) in short
    return any(row.family is family for row in limits)


def _least_fixes(
    case: Case,
    basis: Basis,
    solver: SolverName,
    optimise: Callable[[Case], float | None],
    knobs: list[Knob],
    integer: bool,
) -> tuple[list[Fix], str, Phrase]:
    budget = Budget(MAX_RESOLVES)
    finder = LeastFix(case, basis, solver, optimise, budget)
    fixes: list[Fix] = []
    tried = 0
    cut_short = False
    try:
        for knob in knobs:
            found = finder.least(knob)
            tried += 1
            if found is None:
                continue
            cut_short |= found.cut_short
            shown = 0.0 if found.value is None else found.value
            said = knob.said(shown)
            fixes.append(Fix(knob.words(shown), knob.field, knob.current, found.value, found.cost, said))
    except OutOfBudget:
        cut_short = True
    terms = " (whole units, minimum lines and all-or-nothing layers included)" if integer else ""
    search = (
        f"Each change is the least of its field that makes the case feasible, to within {TOLERANCE_WORDS}: "
        f"the relaxed LP bounds it from below, and re-solving the changed case{terms} confirms it or "
        f"searches past it ({budget.used} solves)."
    )
    said = phrase("diagnosis.search_integer" if integer else "diagnosis.search", solves=budget.used)
    if cut_short:
        search += (
            f" The search stopped at its limit of {MAX_RESOLVES} solves after {tried} of {len(knobs)} "
            "limits: other single changes may work, and the last one found may be larger than needed."
        )
        stopped = phrase("diagnosis.search_cut", limit=MAX_RESOLVES, tried=tried, knobs=len(knobs))
        said = phrase("diagnosis.search_then", search=said, then=stopped)
    return fixes, search, said


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
        reason: Phrase | Listing = phrase("diagnosis.not_enough")
    else:
        because = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
        reason = Listing(tuple(row_phrase(model.case, row) for row in limits))
    result = []
    for family, amount in _short(model).items():
        what, said = _demand_words(model, family, duals)
        result.append(
            Shortfall(
                constraint=family,
                shortfall=amount,
                text=f"{because}: {short_money(amount, currency)} of {what} cannot be covered",
                limits=words,
                phrase=phrase("diagnosis.shortfall", because=reason, amount=Money(amount, currency), what=said),
            )
        )
    return tuple(result)


def _demand_words(model: CoverageModel, family: str, duals: dict[str, float]) -> tuple[str, Phrase]:
    currency = model.case.currency
    requirement = short_money(model.basis.amount, currency)
    amount = Money(model.basis.amount, currency)
    if family == Family.LADDER:
        # The tight ladder row with the largest dual is the loss size where the gap costs most.
        rows = [r for n, r in model.rows.items() if r.family is Family.LADDER and duals[n] > _TINY]
        worst = max(rows, key=lambda r: duals[r.name], default=None)
        if worst is not None:
            loss = worst.loss or 0
            said = phrase("diagnosis.what_requirement_at", requirement=amount, loss=Money(loss, currency))
            return f"the {requirement} requirement at a single loss of {short_money(loss, currency)}", said
        return f"the {requirement} requirement", phrase("diagnosis.what_requirement", requirement=amount)
    if family == Family.FACE:
        return f"the {requirement} requirement", phrase("diagnosis.what_requirement", requirement=amount)
    if family == Family.MIN_CASH:
        return "the cash floor", phrase("diagnosis.what_cash_floor")
    if family == Family.MANDATORY_COVER:
        return "the cover the regime makes mandatory", phrase("diagnosis.what_mandatory")
    return "the liquidity floor", phrase("diagnosis.what_liquidity")


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
    said = phrase("diagnosis.integrality", ids=", ".join(terms))
    return Shortfall("integrality", 0.0, text, tuple(terms), said)
