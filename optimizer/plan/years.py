"""The case seen year by year: what each plan year requires, offers and allows.

Year t of a plan is an ordinary one-year case (the plan section removed) whose instruments
are those on offer that year at that year's prices, whose exchange profile has grown by
``plan.growth``, and whose requirement is R_t = fraction_t x R(profile_t) (model.md section 7).
The one-year model builders and verify_solution then apply to it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from optimizer.case.money import percent
from optimizer.case.plan_schema import Plan, SetAsideBase
from optimizer.case.schema import Case
from optimizer.case.terms import PRICE_FIELD, AnyInstrument
from optimizer.rules.requirement import Basis, requirement_basis


@dataclass(frozen=True)
class PlanYear:
    """One year of a plan, as a one-year case plus what links it to the other years."""

    year: int
    """Counted from 1."""
    case: Case
    """The one-year case of this year: instruments on offer at this year's prices, grown profile."""
    basis: Basis
    """R_t and each instrument's credit this year."""
    fraction: float
    """The phase-in fraction of R applied this year."""
    capacity: float | None
    """The most cash that can be set aside this year (money); None means no limit."""
    discount: float
    """(1 + discount_rate)^-(t-1): what one unit of this year's cost counts in the objective."""
    unavailable: tuple[str, ...]
    """Instruments of the case not on offer this year."""


def plan_of(case: Case) -> Plan:
    """The case's plan, or the one-year plan (R in full, no capacity limit) when it has none."""
    return case.plan if case.plan is not None else Plan(years=1)


def plan_years(case: Case) -> tuple[PlanYear, ...]:
    """Every year of the case's plan, in order."""
    plan = plan_of(case)
    return tuple(_year(case, plan, t) for t in range(1, plan.years + 1))


def available(plan: Plan, item: AnyInstrument, year: int) -> bool:
    """Whether the instrument is on offer in plan year ``year``."""
    terms = plan.instruments.get(item.id)
    if terms is None:
        return True
    if terms.interim is not None:
        return year <= terms.interim
    return terms.available_years is None or year in terms.available_years


def _year(case: Case, plan: Plan, year: int) -> PlanYear:
    growth = plan.growth
    grown = {
        name: value * (1 + getattr(growth, name)) ** (year - 1)
        for name, value in case.exchange.model_dump().items()
        if isinstance(value, float) and hasattr(growth, name)
    }
    offered = tuple(_priced(plan, item, year) for item in case.instruments if available(plan, item, year))
    one_year = case.model_copy(
        update={"plan": None, "instruments": offered, "exchange": case.exchange.model_copy(update=grown)}
    )
    basis = requirement_basis(one_year)
    fraction = 1.0 if plan.requirement_fractions is None else plan.requirement_fractions[year - 1]
    if fraction != 1.0:
        basis = replace(
            basis, amount=fraction * basis.amount, source=f"{percent(fraction)} of R in year {year} ({basis.source})"
        )
    return PlanYear(
        year=year,
        case=one_year,
        basis=basis,
        fraction=fraction,
        capacity=_capacity(case, plan, year),
        discount=(1 + plan.discount_rate) ** -(year - 1),
        unavailable=tuple(item.id for item in case.instruments if not available(plan, item, year)),
    )


def _priced(plan: Plan, item: AnyInstrument, year: int) -> AnyInstrument:
    terms = plan.instruments.get(item.id)
    if terms is None or terms.price_trend == 0:
        return item
    field = PRICE_FIELD[item.kind]
    price = float(getattr(item, field)) * (1 + terms.price_trend) ** (year - 1)
    return item.model_copy(update={field: price})


def _capacity(case: Case, plan: Plan, year: int) -> float | None:
    """The most cash that can be set aside in ``year``: the smaller of the money and share limits."""
    limits = []
    money = plan.max_set_aside
    if money is not None:
        limits.append(money if isinstance(money, float) else money[year - 1])
    share = plan.max_set_aside_share
    if share is not None:
        if share.of is SetAsideBase.PROFIT:
            base, rate = plan.profit or 0.0, plan.growth.profit
        else:
            base, rate = case.exchange.trading_volume or 0.0, plan.growth.trading_volume
        limits.append(share.fraction * base * (1 + rate) ** (year - 1))
    return min(limits) if limits else None
