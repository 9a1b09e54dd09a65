"""Rules of the ``plan:`` section that span several fields (model.md section 7).

Run on the raw data, like the other cross-field checks (checks.py), so every problem is
reported together with the field errors. Each rule says what it refuses and why: an input
the plan would silently ignore (a growth rate nothing uses, terms for an unknown instrument)
is refused rather than dropped.
"""

from __future__ import annotations

import difflib
from typing import Any, TypeGuard

from optimizer.case.errors import Problem
from optimizer.case.phrase import phrase

_PROFILE_FIELDS = (
    "trading_volume",
    "client_crypto_hot",
    "client_crypto_cold",
    "client_crypto_other",
    "client_fiat",
    "fixed_overheads",
)


def plan_problems(data: dict[str, Any]) -> list[Problem]:
    """Every cross-field problem of ``data['plan']`` (nothing when there is no plan)."""
    plan = data.get("plan")
    if not isinstance(plan, dict):
        return []
    years = plan.get("years")
    problems: list[Problem] = []
    if _is_int(years) and 1 <= years:
        problems += _length_problems(plan, years)
    instruments = data.get("instruments")
    items = [item for item in instruments if isinstance(item, dict)] if isinstance(instruments, list) else []
    if items and not any(item.get("kind") == "cash" for item in items):
        problems.append(
            Problem(
                "instruments",
                "must include a cash instrument when the case has a plan (got none); the plan builds a cash "
                "reserve year by year, so add e.g. {id: cash, kind: cash, cost_rate: 0.05}",
                phrase("problems.plan_needs_cash"),
            )
        )
    problems += _instrument_problems(plan, items, years if _is_int(years) else None)
    problems += _base_problems(plan, data)
    return problems


def _length_problems(plan: dict[str, Any], years: int) -> list[Problem]:
    problems = []
    for field in ("requirement_fractions", "max_set_aside"):
        value = plan.get(field)
        if isinstance(value, list) and len(value) != years:
            problems.append(
                Problem(
                    f"plan.{field}",
                    f"must have one entry per plan year, {years} (got {len(value)}: {value}); "
                    f"give {years} values or change plan.years",
                    phrase("problems.plan_per_year", years=years, count=len(value), got=str(value)),
                )
            )
    return problems


def _instrument_problems(plan: dict[str, Any], items: list[dict[str, Any]], years: int | None) -> list[Problem]:
    terms = plan.get("instruments")
    if not isinstance(terms, dict):
        return []
    kinds = {item.get("id"): item.get("kind") for item in items if isinstance(item.get("id"), str)}
    problems = []
    for instrument_id, spec in terms.items():
        path = f"plan.instruments.{instrument_id}"
        if instrument_id not in kinds:
            close = difflib.get_close_matches(str(instrument_id), [str(k) for k in kinds], n=1)
            fix = f"did you mean {close[0]!r}?" if close else f"use one of {', '.join(map(str, kinds))}"
            remedy = (
                phrase("problems.did_you_mean", name=repr(close[0]))
                if close
                else phrase("problems.use_one_of", names=", ".join(map(str, kinds)))
            )
            said = phrase("problems.plan_no_instrument", got=repr(instrument_id), fix=remedy)
            problems.append(Problem(path, f"names no instrument of the case (got {instrument_id!r}); {fix}", said))
            continue
        if not isinstance(spec, dict):
            continue
        kind = kinds[instrument_id]
        restricted = [key for key in ("available_years", "interim") if spec.get(key) is not None]
        if kind == "cash" and restricted:
            problems.append(
                Problem(
                    f"{path}.{restricted[0]}",
                    f"cannot limit the years of a cash instrument (got {spec[restricted[0]]!r}); cash is a stock "
                    "carried from year to year: limit it with max_amount, or remove this field",
                    phrase("problems.plan_cash_years", got=repr(spec[restricted[0]])),
                )
            )
        if spec.get("interim") is not None and kind not in ("parametric", "cash"):
            problems.append(
                Problem(
                    f"{path}.interim",
                    f"applies to parametric cover only (got it on {instrument_id!r}, a {kind} instrument); "
                    "use available_years to say when other instruments are on offer",
                    phrase("problems.plan_interim_kind", id=repr(instrument_id), kind=phrase(f"kind.{kind}"))
                    if kind in ("guarantee", "insurance")
                    else None,
                )
            )
        if len(restricted) == 2:
            problems.append(
                Problem(
                    f"{path}.interim",
                    "cannot be combined with available_years (got both); interim: N means available_years "
                    "[1, ..., N], so keep one of them",
                    phrase("problems.plan_interim_and_years"),
                )
            )
        if years is not None:
            problems += _years_in_plan(path, spec, years)
    return problems


def _years_in_plan(path: str, spec: dict[str, Any], years: int) -> list[Problem]:
    problems = []
    listed = spec.get("available_years")
    if isinstance(listed, list):
        outside = [year for year in listed if _is_int(year) and year > years]
        if outside:
            problems.append(
                Problem(
                    f"{path}.available_years",
                    f"must list years of the plan, 1 to {years} (got {outside}); drop them or raise plan.years",
                    phrase("problems.plan_years_outside", years=years, got=str(outside)),
                )
            )
        if len(set(map(str, listed))) != len(listed):
            said = phrase("problems.plan_year_twice", got=str(listed))
            message = f"lists a year twice (got {listed}); list each once"
            problems.append(Problem(f"{path}.available_years", message, said))
    interim = spec.get("interim")
    if _is_int(interim) and interim > years:
        problems.append(
            Problem(
                f"{path}.interim",
                f"must be at most plan.years, {years} (got {interim}); an interim cover ends within the plan",
                phrase("problems.plan_interim_too_long", years=years, got=interim),
            )
        )
    return problems


def _base_problems(plan: dict[str, Any], data: dict[str, Any]) -> list[Problem]:
    """Set-aside shares need their base; growth rates must move something the plan uses."""
    problems = []
    share = plan.get("max_set_aside_share")
    of = share.get("of") if isinstance(share, dict) else None
    exchange = data.get("exchange")
    exchange = exchange if isinstance(exchange, dict) else {}
    if of == "profit" and plan.get("profit") is None:
        problems.append(
            Problem(
                "plan.profit",
                "is required when max_set_aside_share is a share of profit (got nothing); "
                "add the exchange's profit in year 1",
                phrase("problems.plan_needs_profit"),
            )
        )
    if of == "trading_volume" and exchange.get("trading_volume") is None:
        problems.append(
            Problem(
                "exchange.trading_volume",
                "is required when plan.max_set_aside_share is a share of trading volume (got nothing); "
                "add the annual traded value",
                phrase("problems.plan_needs_volume"),
            )
        )
    growth = plan.get("growth")
    if not isinstance(growth, dict):
        return problems
    requirement = data.get("requirement")
    by_regime = isinstance(requirement, dict) and requirement.get("regime") is not None
    for field, rate in growth.items():
        if not isinstance(rate, int | float) or rate == 0:
            continue
        used = (
            (field == "profit" and of == "profit")
            or (field == "trading_volume" and of == "trading_volume")
            or (field in _PROFILE_FIELDS and by_regime)
        )
        if not used:
            problems.append(
                Problem(
                    f"plan.growth.{field}",
                    f"changes nothing in this plan (got {rate}): growth of the profile moves R only when R comes "
                    "from a regime (requirement.regime), and profit or trading volume only matter for "
                    "max_set_aside_share of them; remove it, or use requirement_fractions for the phase-in",
                    phrase("problems.plan_growth_unused", got=rate),
                )
            )
    return problems


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
