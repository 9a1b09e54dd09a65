"""check_case: turn raw case data into a Case, or explain every problem at once.

Field rules live on the pydantic models (case.py, fields.py); the rules that span several
fields live here, in one place, and run on the raw data so that they are reported together
with the field errors rather than after them are fixed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from optimizer.case.errors import CaseError, Problem, problems_from_validation, shown
from optimizer.case.phrase import phrase
from optimizer.case.plan_checks import plan_problems
from optimizer.case.raw import raw_problems
from optimizer.case.regime_checks import regime_problems
from optimizer.case.regimes_registry import known_regimes
from optimizer.case.scenario_checks import scenario_problems
from optimizer.case.schema import Case

RequirementCheck = Callable[[Case], list[Problem]]
"""Problems with a case that only show once R is known: R itself, and amounts against R."""
_requirement_checks: list[RequirementCheck] = []


def install_requirement_check(check: RequirementCheck) -> None:
    """Have ``check_case`` also run ``check`` on every case whose fields are valid.

    R is computed by ``optimizer.rules`` (a layer above this one), which installs its check
    here when it is imported; ``optimizer/__init__.py`` imports it, so it is always in place
    by the time any ``optimizer`` module is used. This is how a regime that yields R = 0 is
    refused by ``validate`` and by the app's upload rather than failing inside the solver.
    """
    if check not in _requirement_checks:
        _requirement_checks.append(check)


def check_case(data: Any, source: str = "the case", *, requirement: bool = True) -> Case:
    """Validate raw case data (as loaded from YAML or JSON) and return the Case.

    ``requirement=False`` skips the checks of R and of amounts against R (for a rule grid,
    which records a combination that breaks them as a point rather than refusing the grid).

    Raises
    ------
    CaseError
        Listing every problem found: field errors and cross-field rules together; then, once
        those are fixed, problems with R and with amounts measured against R.
    """
    if not isinstance(data, dict):
        got = type(data).__name__ if data is not None else "an empty file"
        msg = f"must be a mapping with name, currency, requirement and instruments (got {got})"
        what = phrase("problems.empty_file") if data is None else type(data).__name__
        said = phrase("problems.the_case", message=phrase("problems.case_not_mapping", got=what))
        raise CaseError([Problem("", f"the case {msg}", said)], source)
    problems, fatal = raw_problems(data)
    if fatal:
        raise CaseError(problems, source)
    case: Case | None = None
    try:
        case = Case.model_validate(data)
    except ValidationError as error:
        # A field the raw check already explained (a 400-digit number) is not explained twice.
        seen = {problem.path for problem in problems}
        problems.extend(p for p in problems_from_validation(error) if p.path not in seen)
    problems.extend(_cross_field_problems(data))
    if problems or case is None:
        raise CaseError(problems, source)
    if requirement:
        problems = [problem for check in _requirement_checks for problem in check(case)]
        if problems:
            raise CaseError(problems, source)
    return case


def _cross_field_problems(data: dict[str, Any]) -> list[Problem]:
    problems = _requirement_problems(data.get("requirement"))
    problems += regime_problems(data)
    problems += scenario_problems(data)
    problems += plan_problems(data)
    instruments = data.get("instruments")
    if isinstance(instruments, list):
        items = [(i, item) for i, item in enumerate(instruments) if isinstance(item, dict)]
        problems += _duplicate_id_problems(items)
        problems += _share_problems(items)
        problems += _liquidity_problems(items, data.get("constraints"))
    return problems


def _requirement_problems(requirement: Any) -> list[Problem]:
    if not isinstance(requirement, dict):
        return []
    given = [key for key in ("amount", "regime") if requirement.get(key) is not None]
    if len(given) == 2:
        return [
            Problem(
                "requirement",
                f"must give exactly one of amount and regime (got amount={shown(requirement['amount'])} "
                f"and regime={shown(requirement['regime'])}); keep the one that should set R",
                phrase(
                    "problems.amount_and_regime",
                    amount=shown(requirement["amount"]),
                    regime=shown(requirement["regime"]),
                ),
            )
        ]
    if not given:
        return [
            Problem(
                "requirement",
                "must give exactly one of amount and regime (got neither); "
                "add `amount: <R in the case currency>` or `regime: <rulebook id>`",
                phrase("problems.amount_or_regime"),
            )
        ]
    regime = requirement.get("regime")
    if isinstance(regime, str) and regime not in known_regimes():
        available = ", ".join(sorted(known_regimes())) or "none are installed"
        return [
            Problem(
                "requirement.regime",
                f"must name a known rulebook (got {shown(regime)}); available: {available}",
                phrase("problems.unknown_regime", got=shown(regime), available=available),
            )
        ]
    return []


def _duplicate_id_problems(items: list[tuple[int, dict[str, Any]]]) -> list[Problem]:
    counts = Counter(item.get("id") for _, item in items if isinstance(item.get("id"), str))
    problems = []
    for index, item in items:
        instrument_id = item.get("id")
        if isinstance(instrument_id, str) and counts[instrument_id] > 1:
            first = next(i for i, other in items if other.get("id") == instrument_id)
            if first != index:
                problems.append(
                    Problem(
                        f"instruments[{index}].id",
                        f"must be unique (got {shown(instrument_id)}, already used by instruments[{first}]); "
                        "rename one of them",
                        phrase("problems.duplicate_id", got=shown(instrument_id), first=first),
                    )
                )
    return problems


def _share_problems(items: list[tuple[int, dict[str, Any]]]) -> list[Problem]:
    problems = []
    for index, item in items:
        low, high = item.get("min_share"), item.get("max_share", 1.0)
        if _is_number(low) and _is_number(high) and low > high:
            problems.append(
                Problem(
                    f"instruments[{index}].min_share",
                    f"must not exceed max_share {high} (got {low}); lower min_share or raise max_share",
                    phrase("problems.min_above_max_share", high=high, low=low),
                )
            )
    return problems


def _liquidity_problems(items: list[tuple[int, dict[str, Any]]], constraints: Any) -> list[Problem]:
    if not isinstance(constraints, dict) or constraints.get("liquidity") is None:
        return []
    # Without payout_days we cannot tell whether an instrument pays in time; guessing
    # would silently decide the liquidity test, so we ask.
    return [
        Problem(
            f"instruments[{index}].payout_days",
            "is required when constraints.liquidity is set (got nothing); "
            "state how many days the instrument takes to pay after a loss",
            phrase("problems.payout_days"),
        )
        for index, item in items
        if item.get("kind") in ("guarantee", "insurance", "parametric") and item.get("payout_days") is None
    ]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
