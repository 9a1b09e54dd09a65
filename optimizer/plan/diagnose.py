"""Explain an infeasible plan year by year, in money, and propose the least capacity that works.

An elastic copy of the plan lets every year's "enough of something" rows (the requirement,
the cash floor, the liquidity floor) fall short, one slack per family and year, and minimises
the total shortfall; the cash stock and set-aside rows stay hard. The limits that hold against
a year's shortfall are its rows with a non-zero dual, and the set-aside capacity of that year
or an earlier one when its row has a non-zero dual: then "in year 2 the most cash you can have
is ¥4.0bn". The fix: the least proportional rise of every year's set-aside capacity that makes
the plan feasible (its own small LP), checked by solving the changed plan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from optimizer.case.money import money as full_money
from optimizer.case.money import percent, short_money
from optimizer.case.phrase import Listing, Money, Phrase, Rate, phrase
from optimizer.case.schema import Case
from optimizer.coverage.pipeline import SolverError
from optimizer.coverage.rows import LIMIT_FAMILIES, CoverageModel, Family
from optimizer.coverage.solution import Fix, Shortfall
from optimizer.coverage.solve import Outcome, SolverName, solve
from optimizer.coverage.words import describe_row, row_phrase
from optimizer.plan.model import PlanFamily, PlanModel, build_plan_model, collect_plan_duals
from optimizer.plan.years import PlanYear, plan_of

_TINY = 1e-9


def diagnose_plan(
    case: Case,
    years: tuple[PlanYear, ...],
    solver: SolverName,
    optimise: Callable[[Case], float | None],
) -> tuple[tuple[Shortfall, ...], tuple[Fix, ...]]:
    """Each year's shortfall with the limits behind it, and the capacity fix, if one works.

    ``optimise`` returns the optimal discounted cost of a case's plan, or None when it is still
    infeasible.
    """
    plan = plan_of(case)
    model = build_plan_model(years, plan.starting_cash, plan.allow_release, elastic=True)
    run = solve(model.yearly[0], solver)
    if run.outcome is not Outcome.OPTIMAL:
        msg = f"the plan's diagnosis model could not be solved ({run.detail})"
        raise SolverError(msg)
    duals = collect_plan_duals(model)
    shortfalls: list[Shortfall] = []
    for index, yearly in enumerate(model.yearly):
        short = {
            key: round((var.varValue or 0.0) * model.scale, 2)  # money to the cent
            for key, var in yearly.relaxations.items()
            if (var.varValue or 0.0) > _TINY
        }
        forced = model.forced_release.get(model.years[index].year)
        if forced is not None and (forced.varValue or 0.0) > _TINY:
            short["release"] = round((forced.varValue or 0.0) * model.scale, 2)
        if short:
            shortfalls += _year_shortfalls(model, index, yearly, duals, short)
    if not shortfalls:
        return (_integrality_shortfall(),), ()
    fixes = [_capacity_fix(case, years, solver, optimise)]
    if any(item.constraint.endswith(": release") for item in shortfalls):
        fixes.append(_release_fix(case, optimise))
    found = sorted((fix for fix in fixes if fix is not None), key=lambda fix: fix.total_cost)
    return tuple(shortfalls), tuple(found)


def _release_fix(case: Case, optimise: Callable[[Case], float | None]) -> Fix | None:
    """Let set-aside cash be released, if that alone makes the plan feasible."""
    plan = plan_of(case)
    cost = optimise(case.model_copy(update={"plan": plan.model_copy(update={"allow_release": True})}))
    if cost is None:
        return None
    words = "let set-aside cash be released: plan.allow_release false -> true"
    return Fix(words, "plan.allow_release", 0.0, 1.0, cost, phrase("diagnosis.plan_release_fix"))


def most_cash(model: PlanModel, index: int) -> float:
    """The most cash year ``index`` can hold: starting cash plus every capacity up to it."""
    capacities = [year.capacity for year in model.years[: index + 1]]
    if any(capacity is None for capacity in capacities):
        return math.inf
    return model.starting_cash + sum(capacity or 0.0 for capacity in capacities)


def _year_shortfalls(
    model: PlanModel, index: int, yearly: CoverageModel, duals: Mapping[str, float], shortfalls: Mapping[str, float]
) -> list[Shortfall]:
    short = dict(shortfalls)
    year = model.years[index]
    currency = year.case.currency
    words = []
    said: list[Phrase] = []
    capacity_binds = any(
        row.family is PlanFamily.SET_ASIDE_CAP and row.year <= year.year and abs(duals[name]) > _TINY
        for name, row in model.rows.items()
    )
    if capacity_binds and math.isfinite(most := most_cash(model, index)):
        words.append(
            f"the most cash you can have is {short_money(most, currency)} "
            f"({short_money(model.starting_cash, currency)} at the start plus the set-aside capacity of "
            f"{'year 1' if index == 0 else f'years 1-{year.year}'})"
        )
        said.append(
            phrase(
                "diagnosis.plan_most_cash" if index == 0 else "diagnosis.plan_most_cash_years",
                most=Money(most, currency),
                start=Money(model.starting_cash, currency),
                year=year.year,
            )
        )
    limits = [row for name, row in yearly.rows.items() if row.family in LIMIT_FAMILIES and abs(duals[name]) > _TINY]
    words += [describe_row(year.case, row, currency) for row in limits]
    said += [row_phrase(year.case, row) for row in limits]
    reason: Phrase | Listing = Listing(tuple(said))
    if not words:
        because = "the instruments on offer that year are not enough"
        reason = phrase("diagnosis.plan_not_enough")
    else:
        because = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
    amount_of = phrase("diagnosis.what_requirement", requirement=Money(year.basis.amount, currency))
    what_of = {
        str(Family.LADDER): amount_of,
        str(Family.FACE): amount_of,
        str(Family.MIN_CASH): phrase("diagnosis.what_cash_floor"),
        str(Family.LIQUIDITY): phrase("diagnosis.what_liquidity"),
        str(Family.MANDATORY_COVER): phrase("diagnosis.what_mandatory"),
    }
    requirement = short_money(year.basis.amount, currency)
    what = {
        str(Family.LADDER): f"the {requirement} requirement",
        str(Family.FACE): f"the {requirement} requirement",
        str(Family.MIN_CASH): "the cash floor",
        str(Family.LIQUIDITY): "the liquidity floor",
        str(Family.MANDATORY_COVER): "the cover the regime makes mandatory",
    }
    if "release" in short:
        # Not a demand that falls short but cash that cannot stay: say so in those words.
        amount = short.pop("release")
        because_release = because if words else "the cash held earlier exceeds what this year allows"
        reason_release = reason if words else phrase("diagnosis.plan_held_earlier")
        held = phrase("diagnosis.plan_starting_cash" if year.year == 1 else "diagnosis.plan_set_aside_earlier")
        result = [
            Shortfall(
                constraint=f"year {year.year}: release",
                shortfall=amount,
                text=f"in year {year.year} {because_release}: {short_money(amount, currency)} of "
                f"{'the starting cash' if year.year == 1 else 'cash set aside earlier'} would have to be "
                "released, which plan.allow_release: false forbids",
                limits=tuple(words),
                phrase=phrase(
                    "diagnosis.plan_release",
                    year=year.year,
                    because=reason_release,
                    amount=Money(amount, currency),
                    held=held,
                ),
            )
        ]
    else:
        result = []
    return result + [
        Shortfall(
            constraint=f"year {year.year}: {family}",
            shortfall=amount,
            text=f"in year {year.year} {because}: {short_money(amount, currency)} of "
            f"{what.get(family, family)} cannot be met",
            limits=tuple(words),
            phrase=phrase(
                "diagnosis.plan_shortfall",
                year=year.year,
                because=reason,
                amount=Money(amount, currency),
                what=what_of.get(family) or phrase("binds.untranslated", text=family),
            ),
        )
        for family, amount in short.items()
    ]


def _integrality_shortfall() -> Shortfall:
    text = (
        "every year could be met with fractional lines and units, but not with the whole-unit, "
        "minimum-line or all-or-nothing terms of the instruments"
    )
    return Shortfall("integrality", 0.0, text, (), phrase("diagnosis.plan_integrality"))


def _round_up(value: float, digits: int = 3) -> float:
    if value <= 0:
        return 0.0
    step = 10.0 ** (math.floor(math.log10(value)) - digits + 1)
    return float(math.ceil(value * (1 - 1e-9) / step) * step)


def _capacity_fix(
    case: Case, years: tuple[PlanYear, ...], solver: SolverName, optimise: Callable[[Case], float | None]
) -> Fix | None:
    """The least rise of every year's set-aside capacity, in proportion, that makes the plan feasible."""
    plan = plan_of(case)
    if all(year.capacity is None for year in years):
        return None
    stretch = build_plan_model(years, plan.starting_cash, plan.allow_release, stretch_capacity=True)
    if solve(stretch.yearly[0], solver).outcome is not Outcome.OPTIMAL or stretch.capacity_stretch is None:
        return None  # more capacity alone does not help
    factor = 1.0 + (stretch.capacity_stretch.varValue or 0.0)
    if factor <= 1.0 + _TINY:
        return None
    update: dict[str, object] = {}
    current = proposed = None
    money = plan.max_set_aside
    if isinstance(money, float):
        current, proposed = money, _round_up(money * factor)
        update["max_set_aside"] = proposed
        words = (
            f"raise plan.max_set_aside from {full_money(money, case.currency)} "
            f"to {full_money(proposed, case.currency)} a year"
        )
        said = phrase(
            "diagnosis.plan_raise_set_aside",
            current=Money(money, case.currency, full=True),
            proposed=Money(proposed, case.currency, full=True),
        )
    elif money is not None:
        update["max_set_aside"] = tuple(_round_up(value * factor) for value in money)
        words = f"raise every year's plan.max_set_aside by {percent(_round_up(factor - 1))}"
        said = phrase("diagnosis.plan_raise_every_set_aside", rise=Rate(_round_up(factor - 1)))
    share = plan.max_set_aside_share
    if share is not None:
        fraction = _round_up(share.fraction * factor)
        if fraction > 1:
            return None
        update["max_set_aside_share"] = share.model_copy(update={"fraction": fraction})
        if money is None:
            current, proposed = share.fraction, fraction
            words = f"raise plan.max_set_aside_share.fraction from {percent(share.fraction)} to {percent(fraction)}"
            said = phrase("diagnosis.plan_raise_share", current=Rate(share.fraction), proposed=Rate(fraction))
        else:
            words += f" and plan.max_set_aside_share.fraction to {percent(fraction)}"
            said = phrase("diagnosis.plan_and_share", first=said, proposed=Rate(fraction))
    changed = case.model_copy(update={"plan": plan.model_copy(update=update)})
    cost = optimise(changed)
    if cost is None:
        return None
    field = "plan.max_set_aside" if money is not None else "plan.max_set_aside_share.fraction"
    return Fix(words, field, current, proposed, cost, said)
