"""The optional ``scenarios:`` and ``risk:`` sections of a case (design/case-format.md).

``scenarios`` says where the simulated years come from: a seeded frequency / severity model
(Poisson counts; lognormal, Pareto, or resampled from data/incidents.csv), optionally split by
attack vector with the assets each exposes, or the user's own year-event loss table (``events``).
Parameters left out are taken from a calibrated loss model in data/loss-models/ (``loss_model``).
``risk`` holds the VaR / CVaR level and the limits a mix is reported against (model.md section 4).

Rules that span fields (a lognormal needs ``sigma``, vector shares add up to 1, a
``default_probability`` names a counterparty of the case) live in ``scenario_checks``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict
from pydantic_core import PydanticCustomError

from optimizer.case.fields import Fraction, Money, Number, PositiveMoney

MAX_YEARS = 10_000_000
"""The most years a case may simulate: 10M years hold about 80 MB per array (float64) and take
about 10 s on a 2-core machine (benchmarks/bench_risk.py); more would let a typo exhaust memory."""

MAX_PER_YEAR = 50.0
"""The largest Poisson mean accepted: 50 incidents a year at one exchange is already far beyond
anything observed (data/incidents.csv has 37 in 15 years worldwide), and the per-incident arrays
grow with years x per_year."""


def _per_year(value: float) -> float:
    if value < 0:
        raise PydanticCustomError(
            "frequency_sign",
            "must be zero or more incidents a year (got {value}); it is the Poisson mean, "
            "for example 0.02 for one incident in fifty years",
            {"value": value},
        )
    if value > MAX_PER_YEAR:
        raise PydanticCustomError(
            "frequency_bound",
            "must be at most {bound} incidents a year (got {value}); is it a count over many years? "
            "Divide it by the number of years",
            {"value": value, "bound": f"{MAX_PER_YEAR:g}"},
        )
    return value


def _shape(value: float) -> float:
    if value <= 0:
        raise PydanticCustomError(
            "shape_positive",
            "must be above zero (got {value}); a spread or tail index of zero or less describes no "
            "distribution (typical: sigma 1 to 2.5 for a lognormal, alpha 0.5 to 2 for a Pareto)",
            {"value": value},
        )
    return value


def _level(value: float) -> float:
    if not 0 < value < 1:
        raise PydanticCustomError(
            "level_range",
            "must be strictly between 0 and 1 (got {value}); 0.99 is the 1-in-100-year level, "
            "0.995 the 1-in-200-year level",
            {"value": value},
        )
    return value


PerYear = Annotated[Number, AfterValidator(_per_year)]
"""Poisson mean number of incidents a year, 0 to MAX_PER_YEAR."""

Shape = Annotated[Number, AfterValidator(_shape)]
"""A distribution's shape parameter (sigma, alpha), above zero."""

Level = Annotated[Number, AfterValidator(_level)]
"""A probability level strictly between 0 and 1."""


def _years(value: int) -> int:
    if value < 1:
        raise PydanticCustomError("years_positive", "must be 1 or more years (got {value})", {"value": value})
    if value > MAX_YEARS:
        raise PydanticCustomError(
            "years_bound",
            "must be at most {bound} years (got {value}); the tool refuses more to bound time and memory "
            "(10M years take about 10 s); 1,000,000 years already resolve the 1-in-1,000-year loss",
            {"value": f"{value:,}", "bound": f"{MAX_YEARS:,}"},
        )
    return value


Years = Annotated[int, Strict(), AfterValidator(_years)]
"""A whole number of years, 1 to MAX_YEARS."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, validate_default=False)


class Distribution(StrEnum):
    """Severity distributions of one incident's loss."""

    LOGNORMAL = "lognormal"
    """ln(loss) is normal with mean ln(median) and standard deviation sigma."""
    PARETO = "pareto"
    """P(loss > x) = (minimum / x)^alpha for x >= minimum (a heavy tail)."""
    INCIDENTS = "incidents"
    """Resampled with replacement from data/incidents.csv (mid USD loss, converted with fx)."""


class Pool(StrEnum):
    """Assets an attack vector can reach: fields of the exchange profile."""

    CLIENT_CRYPTO_HOT = "client_crypto_hot"
    """Client crypto-assets held online."""
    CLIENT_CRYPTO_COLD = "client_crypto_cold"
    """Client crypto-assets held offline (reached by vendor / signing compromise: DMM, Bybit, WazirX)."""
    CLIENT_CRYPTO_OTHER = "client_crypto_other"
    """Client crypto-assets in other storage."""
    CLIENT_FIAT = "client_fiat"
    """Client fiat money."""


class Frequency(_Model):
    """How often incidents happen: a Poisson count each year."""

    per_year: PerYear
    """Poisson mean number of incidents a year at this exchange."""


class Severity(_Model):
    """One incident's loss, in the case currency (before the cap)."""

    distribution: Distribution
    """lognormal (needs median, sigma), pareto (needs minimum, alpha) or incidents (nothing else)."""
    median: PositiveMoney | None = None
    """Lognormal: the median loss of one incident."""
    sigma: Shape | None = None
    """Lognormal: standard deviation of ln(loss)."""
    minimum: PositiveMoney | None = None
    """Pareto: the smallest loss (scale)."""
    alpha: Shape | None = None
    """Pareto: tail index; at or below 1 the mean is infinite and only the cap keeps it finite."""


class Vector(_Model):
    """An attack vector: its share of incidents and the pool of assets it exposes."""

    name: Annotated[str, Field(min_length=1)]
    """hot_wallet, cold_wallet, vendor_or_signing, or any name of yours."""
    share: Fraction
    """Fraction of incidents that take this route; the shares add up to 1."""
    exposes: Annotated[tuple[Pool, ...], Field(min_length=1)]
    """Exchange profile fields whose sum caps an incident by this route."""


class ScenarioSettings(_Model):
    """Where the simulated years come from (model.md section 4)."""

    years: Years | None = None
    """Simulated years S; with `events`, the number of years the table covers (required then)."""
    seed: Annotated[int, Strict(), Field(ge=0)] = 0
    """Seed of the random draws: the same seed gives the same figures."""
    loss_model: Annotated[str, Field(min_length=1)] = "exchange-hacks"
    """Id of a calibrated model in data/loss-models/ giving `frequency` and `severity` when absent."""
    frequency: Frequency | None = None
    """Poisson mean incidents a year; absent: the loss model's."""
    severity: Severity | None = None
    """One incident's loss; absent: the loss model's (converted to the case currency with fx.USD)."""
    cap: Money | None = None
    """No single incident exceeds this; default: client crypto hot + cold (simulated years only)."""
    vectors: tuple[Vector, ...] | None = None
    """Attack vectors with their share of incidents and exposed pools; each caps its incidents."""
    events: Annotated[str, Field(min_length=1)] | None = None
    """A year-event loss table (CSV, columns year,loss; years 1..S) instead of simulating;
    the path is relative to the case file."""
    default_probability: dict[str, Fraction] | None = None
    """Counterparty name -> annual probability that it pays nothing that year."""


class RiskLimits(_Model):
    """The risk level and the limits the optimum must hold (model.md section 4; risk_limits.py)."""

    level: Level = 0.99
    """The VaR / CVaR level: 0.99 looks at the worst 1% of years."""
    max_cvar: Money | None = None
    """Limit on CVaR at `level` of the uncovered annual loss (held by the optimum with every other rule)."""
    max_expected_uncovered: Money | None = None
    """Limit on the expected uncovered annual loss over all years (held by the optimum)."""


PositiveCount = Annotated[int, Strict(), Field(ge=1)]
"""A whole number, 1 or more."""

AggregateLimit = PositiveMoney
"""The most a layer pays in a year at full share."""
