"""Shared field types for case files: money, rates, fractions and day counts.

Each type carries its own range check, so every field that uses it explains a
mistake the same way (style.md: "the clearest error messages").
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import AfterValidator, Field, Strict
from pydantic_core import PydanticCustomError


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise PydanticCustomError(
            "finite",
            "must be a finite number (got {value}); write the amount as plain digits",
            {"value": value},
        )
    return value


def _non_negative_money(value: float) -> float:
    if value < 0:
        raise PydanticCustomError(
            "money_sign",
            "must be an amount of money of zero or more (got {value}); amounts are never negative",
            {"value": value},
        )
    return value


def _positive_money(value: float) -> float:
    if value <= 0:
        raise PydanticCustomError(
            "money_positive",
            "must be an amount of money above zero (got {value})",
            {"value": value},
        )
    return value


def _non_negative(value: float) -> float:
    if value < 0:
        raise PydanticCustomError("non_negative", "must be zero or more (got {value})", {"value": value})
    return value


def _positive(value: float) -> float:
    if value <= 0:
        raise PydanticCustomError("positive", "must be above zero (got {value})", {"value": value})
    return value


def _mica_class(value: int) -> int:
    if value not in (1, 2, 3):
        raise PydanticCustomError(
            "mica_class",
            "must be 1, 2 or 3, the MiCA Annex IV class of the CASP's highest service (got {value})",
            {"value": value},
        )
    return value


def _rate(value: float) -> float:
    if 1 < value <= 100:
        raise PydanticCustomError(
            "rate_percentage",
            "must be between 0 and 1 (got {value}); rates are fractions, so {value}% is {fraction}",
            {"value": f"{value:g}", "fraction": f"{value / 100:g}"},
        )
    if not 0 <= value <= 1:
        raise PydanticCustomError(
            "rate_range",
            "must be between 0 and 1 (got {value}); rates are fractions of the amount per year",
            {"value": value},
        )
    return value


def _fraction(value: float) -> float:
    if 1 < value <= 100:
        # 1.5 may be a mistaken 150% or 1.5%; both readings are named rather than guessed.
        raise PydanticCustomError(
            "fraction_percentage",
            "must be between 0 and 1 (got {value}); fractions of 1 are used here, "
            "so if you meant {value}%, write {fraction}",
            {"value": f"{value:g}", "fraction": f"{value / 100:g}"},
        )
    if not 0 <= value <= 1:
        raise PydanticCustomError(
            "fraction_range",
            "must be between 0 and 1 (got {value})",
            {"value": value},
        )
    return value


def _positive_fraction(value: float) -> float:
    value = _fraction(value)
    if value == 0:
        raise PydanticCustomError(
            "fraction_positive",
            "must be above 0 and at most 1 (got {value}); leave the instrument out instead of zeroing it",
            {"value": value},
        )
    return value


# A JSON/YAML number: ints are accepted and become floats; strings and booleans are refused
# (strict), so "5%" or `true` never turn silently into a number.
_Number = Annotated[float, Strict(), AfterValidator(_finite)]

Number = _Number
"""Any finite number; whoever uses it checks its range (regime assumptions, see regime_checks.py)."""

PositiveNumber = Annotated[_Number, AfterValidator(_positive)]
"""A finite number above zero (exchange rates)."""

Money = Annotated[_Number, AfterValidator(_non_negative_money)]
"""An amount in the case currency, zero or more."""

PositiveMoney = Annotated[_Number, AfterValidator(_positive_money)]
"""An amount in the case currency, above zero."""

Rate = Annotated[_Number, AfterValidator(_rate)]
"""An annual rate as a fraction of an amount (0.035 is 3.5% a year)."""

Fraction = Annotated[_Number, AfterValidator(_fraction)]
"""A fraction between 0 and 1 inclusive."""

PositiveFraction = Annotated[_Number, AfterValidator(_positive_fraction)]
"""A fraction above 0 and at most 1."""

Days = Annotated[int, Strict(), Field(ge=0)]
"""A whole number of days, zero or more."""

Units = Annotated[_Number, AfterValidator(_non_negative)]
"""A count of units (may be fractional unless integer units are asked for), zero or more."""

MicaClass = Annotated[int, Strict(), AfterValidator(_mica_class)]
"""A MiCA Annex IV class: 1, 2 or 3 (a whole number; true/false are refused)."""
