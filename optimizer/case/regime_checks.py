"""Checks a regime-driven case must pass before its rulebook can compute R.

They run on the raw case data (like every cross-field check, optimizer/case/checks.py), so they are
reported together with field errors: the exchange fields the rule reads are present, an
exchange rate is given when the rule's currency is not the case's, and every overridden
assumption is a known, overridable name with a value in range.
"""

from __future__ import annotations

import difflib
from typing import Any

from optimizer.case.errors import Problem, format_path, shown
from optimizer.case.phrase import phrase
from optimizer.case.regimes_registry import known_regimes
from optimizer.case.rulebook import Parameter, Rulebook, Status, Unit, load_rulebook
from optimizer.case.schema import Exchange


def regime_problems(data: dict[str, Any]) -> list[Problem]:
    """Every problem that stops the case's regime from computing R (none if it has no regime)."""
    requirement = data.get("requirement")
    if not isinstance(requirement, dict):
        return []
    regime, assumptions = requirement.get("regime"), requirement.get("assumptions")
    if regime is None:
        if assumptions is not None and requirement.get("amount") is not None:
            return [
                Problem(
                    "requirement.assumptions",
                    f"only applies with requirement.regime (got {shown(assumptions)} next to an amount); "
                    "remove it, or replace the amount by `regime: <rulebook id>`",
                    phrase("problems.assumptions_without_regime", got=shown(assumptions)),
                )
            ]
        return []
    if not isinstance(regime, str) or regime not in known_regimes():
        return []  # checks.py reports an unknown regime, with the list of known ones
    book = load_rulebook(regime)
    return [
        *_exchange_problems(book, data.get("exchange")),
        *_fx_problems(book, data.get("currency"), data.get("fx")),
        *_assumption_problems(book, assumptions),
    ]


def _exchange_problems(book: Rulebook, exchange: Any) -> list[Problem]:
    given = exchange if isinstance(exchange, dict) else {}
    problems = []
    for name in book.exchange_fields():
        if given.get(name) is None:
            description = (Exchange.model_fields[name].description or "").rstrip(".")
            problems.append(
                Problem(
                    f"exchange.{name}",
                    f"is required by regime {book.id} (got nothing); add it: {description}",
                    phrase("problems.exchange_required", regime=book.id, doc=description),
                )
            )
    return problems


def _fx_problems(book: Rulebook, currency: Any, fx: Any) -> list[Problem]:
    if not isinstance(currency, str):
        return []  # the currency field reports its own problem
    rates = fx if isinstance(fx, dict) else {}
    problems = []
    if book.currency != currency and rates.get(book.currency) is None:
        got = "no fx section" if fx is None else f"rates for {', '.join(map(str, rates)) or 'nothing'}"
        codes = ", ".join(map(str, rates))
        which = "no_fx" if fx is None else "fx_rates" if codes else "fx_no_rates"
        has = phrase(f"problems.{which}", codes=codes)
        problems.append(
            Problem(
                "fx",
                f"needs a rate for {book.currency}: regime {book.id} states its amounts in {book.currency} "
                f"and the case is in {currency} (got {got}); add `fx: {{{book.currency}: <{currency} per "
                f"1 {book.currency}>}}`. No rate is assumed",
                phrase("problems.fx_needed", theirs=book.currency, regime=book.id, ours=currency, got=has),
            )
        )
    own = rates.get(currency)
    if own is not None and own != 1:
        problems.append(
            Problem(
                f"fx.{currency}",
                f"is the case currency, worth 1 by definition (got {shown(own)}); remove it",
                phrase("problems.fx_own_currency", got=shown(own)),
            )
        )
    return problems


def _assumption_problems(book: Rulebook, assumptions: Any) -> list[Problem]:
    if not isinstance(assumptions, dict):
        return []  # absent, or not a mapping (the field check says so)
    known = book.overridable()
    names = ", ".join(sorted(known)) or "none"
    problems = []
    for name, value in assumptions.items():
        path = format_path(("requirement", "assumptions", str(name)))
        parameter = book.parameters.get(name)
        if parameter is None:
            close = difflib.get_close_matches(str(name), list(known), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            said = phrase(
                "problems.not_an_assumption_close" if close else "problems.not_an_assumption",
                regime=book.id,
                got=shown(value),
                close=repr(close[0]) if close else "",
                names=names,
            )
            problems.append(
                Problem(
                    path, f"is not an assumption of regime {book.id} (got {shown(value)}); {hint}Known: {names}", said
                )
            )
        elif parameter.status is Status.RULE:
            problems.append(
                Problem(
                    path,
                    f"is a confirmed rule of regime {book.id} ({parameter.section}, {parameter.source}) and "
                    f"cannot be overridden (got {shown(value)}); assumptions you may change: {names}",
                    phrase(
                        "problems.confirmed_rule",
                        regime=book.id,
                        section=parameter.section,
                        source=parameter.source,
                        got=shown(value),
                        names=names,
                    ),
                )
            )
        elif _is_number(value):
            problems += _range_problems(path, parameter, value, book.currency)
    problems += _bound_order_problems(book, assumptions)
    return problems


def _range_problems(path: str, parameter: Parameter, value: float, currency: str) -> list[Problem]:
    if parameter.unit is Unit.FRACTION and not 0 <= value <= 1:
        percentage = 1 < value <= 100
        hint = f"; fractions, so {value:g}% is {value / 100:g}" if percentage else ""
        said = (
            phrase("problems.assumption_percentage", got=shown(value), value=f"{value:g}", fraction=f"{value / 100:g}")
            if percentage
            else phrase("problems.assumption_fraction", got=shown(value))
        )
        return [Problem(path, f"must be between 0 and 1 (got {shown(value)}){hint}", said)]
    if parameter.unit is Unit.MONEY and value < 0:
        said = phrase("problems.assumption_money", currency=currency, got=shown(value))
        return [Problem(path, f"must be an amount in {currency} of zero or more (got {shown(value)})", said)]
    return []


def _bound_order_problems(book: Rulebook, assumptions: dict[str, Any]) -> list[Problem]:
    # A floor above the cap would leave no R that satisfies both; say so rather than pick one.
    def value(name: str) -> float:
        given = assumptions.get(name)
        return float(given) if isinstance(given, int | float) and _is_number(given) else book.parameters[name].value

    problems = []
    for floor in book.floor:
        for cap in book.cap:
            touched = floor.parameter in assumptions or cap.parameter in assumptions
            if touched and value(floor.parameter) > value(cap.parameter):
                problems.append(
                    Problem(
                        "requirement.assumptions",
                        f"must keep the floor ({floor.parameter}) at or below the cap ({cap.parameter}) "
                        f"(got {value(floor.parameter):,.0f} > {value(cap.parameter):,.0f} {book.currency}); "
                        "lower the floor or raise the cap",
                        phrase(
                            "problems.floor_above_cap",
                            floor=floor.parameter,
                            cap=cap.parameter,
                            low=value(floor.parameter),
                            high=value(cap.parameter),
                            currency=book.currency,
                        ),
                    )
                )
    return problems


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
