"""Basis: the requirement R, how each instrument is credited against it, and why.

A Basis is what the requirement stage hands to the model builder and to the report. For a
case that states R directly it holds little more than the amount; for a regime-driven case
(data/regimes/) it also holds the breakdown of R into the rulebook's terms, every input with
its status and source, each instrument's eligibility, the regime's cap on insurance and any
cover the regime makes mandatory.

Statuses (data/regimes/README.md): ``rule`` (confirmed in the text cited), ``reported`` (a
press or law-firm summary only), ``assumption`` (a default the user may change), and for
figures from the case itself ``case``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from optimizer.case.money import percent
from optimizer.case.phrase import Phrase, Rate, phrase
from optimizer.case.schema import Case

STATUSES = ("rule", "reported", "assumption", "case")
"""The statuses of a figure (the module docstring); each has a word in the catalogues (binds.status.*)."""


@dataclass(frozen=True)
class Term:
    """One line of the breakdown of R: a formula term, the floor or the cap."""

    name: str
    value: float
    """In the case currency."""
    formula: str
    """How the value was computed, with the figures used."""
    binds: bool
    """True when this line sets R."""
    status: str
    """Status of the parameter it uses: rule, reported or assumption."""
    source: str
    """URL of the parameter it uses."""


@dataclass(frozen=True)
class Input:
    """One figure the regime's calculation used: a rulebook parameter or an exchange field."""

    name: str
    value: float | str | bool
    unit: str
    """``fraction``; a currency code for amounts (the rulebook's for parameters, the case's for
    exchange fields); ``X per Y`` for an exchange rate; empty for choices such as mica_class."""
    status: str
    source: str
    section: str = ""
    """Where in the source: article, paragraph or the quoted words."""
    default: float | None = None
    """The rulebook's value, when the case overrides it (None when not overridden)."""


@dataclass(frozen=True)
class Eligibility:
    """How the regime treats one instrument of the case."""

    id: str
    kind: str
    form: str
    """What the rule calls this kind of instrument (or why it refuses it)."""
    regime_credit: float
    """The regime's credit factor for the kind (0 when the kind is not accepted)."""
    credit: float
    """Effective credit: the instrument's own credit times the regime's factor."""
    status: str
    source: str
    excluded: str | None = None
    """Why the instrument gets no credit, if it gets none."""


@dataclass(frozen=True)
class RegimeCap:
    """A regime's limit on the share of R that insurance-like cover may provide."""

    fraction: float
    parameter: str
    """Name of the rulebook parameter that sets it."""
    status: str
    source: str
    regime: str
    overridable: bool
    """True when the parameter may be changed under requirement.assumptions."""


@dataclass(frozen=True)
class MandatoryCover:
    """Cover a regime requires whatever R is: credited face of ``kind`` at least ``amount``."""

    name: str
    kind: str
    amount: float
    """In the case currency."""
    formula: str
    text: str
    """The rule in words."""
    status: str
    source: str


@dataclass(frozen=True)
class Basis:
    """The requirement and how each instrument counts towards it."""

    amount: float
    """R in the case currency."""
    credit: Mapping[str, float]
    """Effective credit factor per instrument id (0 for instruments the rule does not accept)."""
    excluded: Mapping[str, str] = field(default_factory=dict)
    """Instrument id -> why the rule does not credit it."""
    source: str = "given in the case"
    """Where R comes from, in words."""
    regime: str | None = None
    """Id of the rulebook that computed R, if one did."""
    formula: str = ""
    """The shape of the calculation, e.g. ``R = min(cap, max(floor, max(volume, custody)))``."""
    breakdown: tuple[Term, ...] = ()
    inputs: tuple[Input, ...] = ()
    eligibility: tuple[Eligibility, ...] = ()
    insurance_cap: RegimeCap | None = None
    """The regime's own cap on insurance; the model applies the stricter of it and the case's."""
    mandatory: tuple[MandatoryCover, ...] = ()


@dataclass(frozen=True)
class InsuranceCap:
    """The cap on insurance-like cover that applies, and where it comes from."""

    fraction: float
    text: str
    assumption: str | None = None
    """The regime assumption to change to loosen it, when the regime's cap is the stricter one."""
    phrase: Phrase | None = None
    """``text`` as a phrase for other languages (optimizer/case/phrase.py)."""


def insurance_cap(case: Case, basis: Basis) -> InsuranceCap | None:
    """The stricter of the case's max_insurance_fraction and the regime's cap (None if neither)."""
    own = case.constraints.max_insurance_fraction
    regime = basis.insurance_cap
    if regime is None:
        words = "the case's constraints.max_insurance_fraction"
        return None if own is None else InsuranceCap(own, words, phrase=phrase("binds.cap_case"))
    theirs = f"{regime.regime}'s {regime.parameter} ({regime.status}) {percent(regime.fraction)}"
    status = phrase(f"binds.status.{regime.status}") if regime.status in STATUSES else regime.status
    said = phrase(
        "binds.cap_regime", regime=regime.regime, parameter=regime.parameter, status=status, share=Rate(regime.fraction)
    )
    if own is None or regime.fraction < own:
        stricter = "" if own is None else f", stricter than the case's own {percent(own)}"
        if own is not None:
            said = phrase("binds.cap_regime_stricter", cap=said, own=Rate(own))
        assumption = regime.parameter if regime.overridable else None
        return InsuranceCap(regime.fraction, theirs + stricter, assumption, said)
    if own < regime.fraction:
        words = f"the case's own cap, stricter than {theirs}"
        return InsuranceCap(own, words, phrase=phrase("binds.cap_own_stricter", cap=said))
    return InsuranceCap(own, f"the case's own cap, equal to {theirs}", phrase=phrase("binds.cap_own_equal", cap=said))
