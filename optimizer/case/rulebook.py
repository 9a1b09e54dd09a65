"""A regime rulebook (data/regimes/<id>.yaml) as a pydantic model, and its loader.

A rulebook holds no code: named parameters (each with a value, a unit, a status and a source),
formula terms from a small fixed vocabulary (``share_of`` and ``fixed``) combined by ``max``
or ``sum`` and then bounded by a floor and a cap, the instrument kinds the rule accepts with
their credit factors, an optional cap on insurance and any mandatory cover. The one
calculator that interprets it is optimizer/rules/regimes.py; data/regimes/README.md documents the
format for the people who write the files.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from optimizer.case.errors import format_path
from optimizer.case.fields import Number
from optimizer.case.regimes_registry import REGIMES_DIR, known_regimes
from optimizer.case.schema import CurrencyCode, Exchange, Kind


class Status(StrEnum):
    """How sure a rulebook number is (data/regimes/README.md)."""

    RULE = "rule"
    """Confirmed in the text cited (a primary text, or a detailed source quoting it)."""
    REPORTED = "reported"
    """Stated by press or law-firm summaries only; the primary text was not read."""
    ASSUMPTION = "assumption"
    """No rule is published: a default chosen by us, which a case may change."""


OVERRIDABLE = frozenset({Status.ASSUMPTION, Status.REPORTED})
"""Statuses a case may override under requirement.assumptions: what is not confirmed."""


class Unit(StrEnum):
    """Units of rulebook parameters."""

    FRACTION = "fraction"
    """A number between 0 and 1: a rate, a share, a credit factor."""
    MONEY = "money"
    """An amount in the rulebook's currency."""


class _Model(BaseModel):
    # defer_build: the validators are built when a rulebook is first read, not when every
    # command that checks a case imports this module (a case with R given reads none; #12).
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, defer_build=True)


Condition = dict[str, bool | int | str]
"""Exchange field -> value it must have for a term or bound to apply (all must match)."""


class Parameter(_Model):
    """One number of the rule, with where it comes from."""

    value: Number
    unit: Unit
    status: Status
    source: Annotated[str, Field(pattern=r"^https?://")]
    """URL of the text the number comes from."""
    section: Annotated[str, Field(min_length=1)]
    """Where in the source: article and paragraph, or the quoted words."""
    note: str | None = None
    """Why this value, for assumptions; caveats, for reported figures."""


class ShareOf(_Model):
    """rate x (sum of exchange fields), in the case currency."""

    name: str
    kind: Literal["share_of"]
    rate: str
    """Parameter name (a fraction)."""
    of: Annotated[tuple[str, ...], Field(min_length=1)]
    """Exchange fields, summed."""
    when: Condition = {}


class Fixed(_Model):
    """A fixed amount, converted from the rulebook's currency at the case's fx rate."""

    name: str
    kind: Literal["fixed"]
    amount: str
    """Parameter name (money)."""
    when: Condition = {}


TermSpec = Annotated[ShareOf | Fixed, Field(discriminator="kind")]


class Bound(_Model):
    """A floor or a cap on R: a money parameter, applying when its condition holds."""

    parameter: str
    when: Condition = {}


class Eligible(_Model):
    """An instrument kind the rule accepts."""

    credit: str
    """Parameter name of the credit factor (a fraction) applied on top of the instrument's own credit."""
    form: str
    """What the rule calls it (own funds, funds on trust, comparable guarantee...)."""


class NotAccepted(_Model):
    """An instrument kind the rule does not accept, and why."""

    reason: str
    """Why, in the rule's words: the forms it lists instead."""
    status: Status
    source: Annotated[str, Field(pattern=r"^https?://")]


class Mandatory(_Model):
    """Cover the rule requires regardless of R: credited face of `kind` >= rate x (exchange fields)."""

    name: str
    kind: Kind
    rate: str
    """Parameter name (a fraction)."""
    of: Annotated[tuple[str, ...], Field(min_length=1)]
    text: str
    """The rule in words."""


class Rulebook(_Model):
    """One regime: how R follows from the exchange profile, and what may meet it."""

    id: str
    name: str
    jurisdiction: str
    currency: CurrencyCode
    """Currency of the money parameters."""
    status: str
    """In words: in force, draft, reported; what was and was not read."""
    description: str = ""
    parameters: dict[str, Parameter]
    terms: Annotated[tuple[TermSpec, ...], Field(min_length=1)]
    combine: Literal["max", "sum"]
    floor: tuple[Bound, ...] = ()
    """R is at least the largest applicable floor."""
    cap: tuple[Bound, ...] = ()
    """R is at most the smallest applicable cap."""
    eligible: dict[Kind, Eligible]
    not_accepted: dict[Kind, NotAccepted] = {}
    """Kinds the rule does not accept, each with the reason."""
    max_insurance_fraction: str | None = None
    """Parameter name of the largest share of R that insurance and parametric cover may provide."""
    mandatory: tuple[Mandatory, ...] = ()

    def exchange_fields(self) -> tuple[str, ...]:
        """Exchange fields the calculation reads, in order of first use."""
        fields: list[str] = []
        groups: list[tuple[str, ...]] = []
        for term in self.terms:
            groups += [term.of if isinstance(term, ShareOf) else (), tuple(term.when)]
        groups += [tuple(bound.when) for bound in (*self.floor, *self.cap)]
        groups += [item.of for item in self.mandatory]
        for group in groups:
            fields += [name for name in group if name not in fields]
        return tuple(fields)

    def overridable(self) -> dict[str, Parameter]:
        """The parameters a case may override, by name."""
        return {name: p for name, p in self.parameters.items() if p.status in OVERRIDABLE}


class RulebookError(ValueError):
    """A rulebook file that is not valid; lists every problem (a fault in data/regimes/)."""


def load_rulebook(regime: str) -> Rulebook:
    """The rulebook with this id, validated (cached: the files do not change while we run).

    Raises
    ------
    RulebookError
        If there is no such file, or it breaks the format or refers to unknown names.
    """
    if regime not in known_regimes():
        available = ", ".join(sorted(known_regimes()))
        msg = f"no rulebook {regime!r} in {REGIMES_DIR}; available: {available}"
        raise RulebookError(msg)
    return _load(regime)


@cache
def _load(regime: str) -> Rulebook:
    path = REGIMES_DIR / f"{regime}.yaml"
    try:
        book = Rulebook.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as error:
        lines = [f"{format_path(item['loc'])}: {item['msg']}" for item in error.errors(include_url=False)]
        raise RulebookError(f"{path} is not a valid rulebook:\n  " + "\n  ".join(lines)) from None
    problems = rulebook_problems(book)
    if book.id != regime:
        problems.insert(0, f"id {book.id!r} must match the file name {regime!r}")
    if problems:
        raise RulebookError(f"{path} is not a valid rulebook:\n  " + "\n  ".join(problems))
    return book


def rulebook_problems(book: Rulebook) -> list[str]:
    """Names that do not resolve, units that do not fit, kinds missing or listed twice."""
    problems: list[str] = []

    def need(name: str, unit: Unit, where: str) -> None:
        parameter = book.parameters.get(name)
        if parameter is None:
            problems.append(f"{where} names parameter {name!r}, which is not in parameters")
        elif parameter.unit is not unit:
            problems.append(f"{where} needs a {unit} parameter ({name!r} is {parameter.unit})")

    for index, term in enumerate(book.terms):
        if isinstance(term, ShareOf):
            need(term.rate, Unit.FRACTION, f"terms[{index}].rate")
        else:
            need(term.amount, Unit.MONEY, f"terms[{index}].amount")
    for side in ("floor", "cap"):
        for index, bound in enumerate(getattr(book, side)):
            need(bound.parameter, Unit.MONEY, f"{side}[{index}].parameter")
    for kind, eligible in book.eligible.items():
        need(eligible.credit, Unit.FRACTION, f"eligible.{kind}.credit")
    if book.max_insurance_fraction is not None:
        need(book.max_insurance_fraction, Unit.FRACTION, "max_insurance_fraction")
    for index, item in enumerate(book.mandatory):
        need(item.rate, Unit.FRACTION, f"mandatory[{index}].rate")
    unknown = [name for name in book.exchange_fields() if name not in Exchange.model_fields]
    problems += [f"exchange field {name!r} does not exist (see optimizer/case/schema.py Exchange)" for name in unknown]
    for kind in Kind:
        listed = (kind in book.eligible) + (kind in book.not_accepted)
        if listed != 1:
            problems.append(f"instrument kind {kind!r} must be in exactly one of eligible and not_accepted")
    for name, parameter in book.parameters.items():
        if parameter.unit is Unit.FRACTION and not 0 <= parameter.value <= 1:
            problems.append(f"parameters.{name}.value must be between 0 and 1 (got {parameter.value})")
        if parameter.unit is Unit.MONEY and parameter.value < 0:
            problems.append(f"parameters.{name}.value must be zero or more (got {parameter.value})")
    return problems
