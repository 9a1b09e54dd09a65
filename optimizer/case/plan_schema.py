"""The ``plan:`` section of a case: a multi-year transition plan (model.md section 7).

Field names ``years``, ``requirement_fractions``, ``starting_cash``, ``max_set_aside``,
``allow_release`` and ``discount_rate`` are fixed by design/case-format.md; the rest are
optional additions: set-aside capacity as a share of trading volume or profit, growth of the
exchange profile, and each instrument's availability and price trend by year. Rules that span
several fields (list lengths, instrument ids, years in range) live in plan_checks.py.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, ValidationError, WrapValidator
from pydantic_core import PydanticCustomError

from optimizer.case.fields import Money, PositiveFraction, Rate

MAX_PLAN_YEARS = 10
"""The longest plan: the LP grows with the years, and prices and rules ten years out are guesses."""


def _plan_years(value: int) -> int:
    if not 1 <= value <= MAX_PLAN_YEARS:
        raise PydanticCustomError(
            "plan_years",
            "must be a whole number of years from 1 to {most} (got {value}); plans are bounded at {most} "
            "years because terms and rules further out are guesses: plan the first {most} and re-plan later",
            {"value": value, "most": MAX_PLAN_YEARS},
        )
    return value


def _year(value: int) -> int:
    if not 1 <= value <= MAX_PLAN_YEARS:
        raise PydanticCustomError(
            "plan_year",
            "must be a plan year from 1 to {most} (got {value}); year 1 is the first year of the plan",
            {"value": value, "most": MAX_PLAN_YEARS},
        )
    return value


def _growth(value: float) -> float:
    if not -0.95 <= value <= 3.0:
        hint = f"; rates are fractions, so {value:g}% is {value / 100:g}" if 3.0 < value <= 300 else ""
        raise PydanticCustomError(
            "growth_rate",
            "must be a yearly rate of change between -0.95 and 3 (got {value}){hint}",
            {"value": f"{value:g}", "hint": hint},
        )
    return value


def _set_aside(value: Any, handler: Any) -> Any:
    # One clear message instead of pydantic's error per member of the union (number | list).
    try:
        return handler(value)
    except ValidationError:
        items = value if isinstance(value, list | tuple) else [value]
        bad = next(
            (
                item
                for item in items
                if isinstance(item, bool) or not isinstance(item, int | float) or not item >= 0 or item == float("inf")
            ),
            value,
        )
        raise PydanticCustomError(
            "set_aside",
            "must be an amount of money of zero or more a year, or a list with one such amount per plan "
            "year (got {bad}); write plain digits such as 2_000_000_000",
            {"bad": repr(bad)},
        ) from None


_Number = Annotated[float, Strict()]
Years = Annotated[int, Strict(), AfterValidator(_plan_years)]
"""A number of plan years, 1 to MAX_PLAN_YEARS."""
Year = Annotated[int, Strict(), AfterValidator(_year)]
"""One plan year, counted from 1."""
GrowthRate = Annotated[_Number, AfterValidator(_growth)]
"""A yearly rate of change as a fraction: 0.1 is +10% a year, -0.05 is -5% a year."""
SetAside = Annotated[Money | tuple[Money, ...], WrapValidator(_set_aside)]
"""Money a year: one amount for every year, or a list with one amount per plan year."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, validate_default=False)


class SetAsideBase(StrEnum):
    """What a set-aside capacity given as a fraction is a fraction of."""

    TRADING_VOLUME = "trading_volume"
    """That year's annual trading volume (exchange.trading_volume, grown by plan.growth)."""
    PROFIT = "profit"
    """That year's profit (plan.profit, grown by plan.growth)."""


class SetAsideShare(_Model):
    """The most cash that can be set aside each year, as a fraction of trading volume or profit."""

    fraction: PositiveFraction
    """Fraction of the base that can be set aside in a year (0.5 is half of it)."""
    of: SetAsideBase
    """The base: `trading_volume` or `profit`."""


class Growth(_Model):
    """Yearly growth of the exchange profile over the plan, as fractions (0.1 is +10% a year).

    Year t uses the year-1 figure x (1 + rate)^(t-1). The profile matters where R comes from a
    regime rulebook and where the set-aside capacity is a share of trading volume or profit.
    """

    trading_volume: GrowthRate = 0.0
    """Growth of exchange.trading_volume a year."""
    client_crypto_hot: GrowthRate = 0.0
    """Growth of exchange.client_crypto_hot a year."""
    client_crypto_cold: GrowthRate = 0.0
    """Growth of exchange.client_crypto_cold a year."""
    client_crypto_other: GrowthRate = 0.0
    """Growth of exchange.client_crypto_other a year."""
    client_fiat: GrowthRate = 0.0
    """Growth of exchange.client_fiat a year."""
    fixed_overheads: GrowthRate = 0.0
    """Growth of exchange.fixed_overheads a year."""
    profit: GrowthRate = 0.0
    """Growth of plan.profit a year."""


class InstrumentPlan(_Model):
    """How one instrument's terms change over the plan; by default the same terms every year."""

    available_years: Annotated[tuple[Year, ...], Field(min_length=1)] | None = None
    """The plan years in which it is on offer (e.g. [1, 2, 3]); absent means every year."""
    interim: Year | None = None
    """Parametric cover only: on offer in the first `interim` years only, as a bridge while cash builds."""
    price_trend: GrowthRate = 0.0
    """Yearly change of its price (cost_rate, fee_rate, premium_rate or premium): year t pays
    price x (1 + price_trend)^(t-1)."""


class Plan(_Model):
    """A multi-year transition plan: build the reserve year by year (model.md section 7)."""

    years: Years
    """Number of plan years, 1 to 10."""
    requirement_fractions: Annotated[tuple[PositiveFraction, ...], Field(min_length=1)] | None = None
    """The phase-in: fraction of R required in each year, one per plan year; absent means all of R
    every year. R is that year's R when `growth` moves a regime's inputs."""
    starting_cash: Money = 0.0
    """Cash already set aside when the plan starts (the balance before year 1)."""
    max_set_aside: SetAside | None = None
    """The most cash that can be set aside in one year, in money: one amount for every year or a
    list with one amount per year; absent means no limit (unless max_set_aside_share is given)."""
    max_set_aside_share: SetAsideShare | None = None
    """The most cash that can be set aside in one year as a fraction of that year's trading volume
    or profit; with max_set_aside too, the smaller of the two applies each year."""
    allow_release: Annotated[bool, Strict()] = False
    """Whether cash set aside may be taken back out in a later year (default false: it stays)."""
    discount_rate: Rate = 0.0
    """Yearly discount rate of the plan's cost: year t's cost counts (1 + rate)^-(t-1)."""
    profit: Money | None = None
    """The exchange's profit in year 1 (needed when the set-aside capacity is a share of profit)."""
    growth: Growth = Growth()
    """Yearly growth of the exchange profile and profit; none by default."""
    instruments: dict[str, InstrumentPlan] = {}
    """Instrument id -> its availability and price trend over the plan; absent ids keep their terms."""
