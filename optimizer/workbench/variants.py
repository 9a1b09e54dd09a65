"""What-if variants of a case: the levers a CFO moves, applied to the case's raw data.

Variants are made on the JSON form of a case (``Case.model_dump(mode="json")``) and handed
back to ``check_case``, never built with ``model_copy``: a copy is not validated, and a lever
pushed too far (a premium scaled past a rate of 1) must get the same clear message as a file.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from optimizer.case.checks import check_case
from optimizer.case.names import counterparty_key, tidy_name
from optimizer.case.schema import Case, Kind
from optimizer.case.terms import PRICE_FIELD

# The price field of each kind of cover bought from a counterparty (cash has none to scale).
PRICE_FIELDS: Mapping[str, str] = {kind: field for kind, field in PRICE_FIELD.items() if kind is not Kind.CASH}


_KIND_PLURALS = {"guarantee": "guarantees", "parametric": "parametric cover"}


class TargetKind(StrEnum):
    """What a premium scale applies to: every instrument of a kind, or of one counterparty."""

    KIND = "kind"
    COUNTERPARTY = "counterparty"


@dataclass(frozen=True, order=True)
class Target:
    """The instruments a premium scale applies to, such as kind=insurance or counterparty=Bank A."""

    by: TargetKind
    name: str

    def label(self) -> str:
        """How the target reads in a menu: "all insurance", "Syndicate A"."""
        if self.by is TargetKind.COUNTERPARTY:
            return self.name
        return "all " + _KIND_PLURALS.get(self.name, self.name)

    def key(self) -> str:
        """A stable text key ("kind:insurance"), for storage."""
        return f"{self.by}:{self.name}"

    @classmethod
    def from_key(cls, key: str) -> Target:
        """The target written by ``key``."""
        by, _, name = key.partition(":")
        return cls(TargetKind(by), name)

    def applies_to(self, instrument: Mapping[str, Any]) -> bool:
        """True when the instrument (raw data) is priced by this target."""
        if self.by is TargetKind.KIND:
            return bool(instrument.get("kind") == self.name)
        # Every spelling of the counterparty's name, as the caps read it (optimizer/case/names.py).
        party = instrument.get("counterparty")
        return counterparty_key(party if isinstance(party, str) else "") == counterparty_key(self.name)


@dataclass(frozen=True)
class Levers:
    """The what-if levers; None (or an empty mapping) leaves the case as it is.

    A cap or floor set to ``NO_LIMIT`` removes that policy limit from the case.
    """

    requirement: float | None = None
    """R in the case currency (cases that give R directly)."""
    cash_cost_rate: float | None = None
    """Cost of capital: the cost_rate of every cash instrument."""
    premium_scale: Mapping[Target, float] = field(default_factory=dict)
    """Multiplier on the price of the instruments of each target (1.0 = as quoted)."""
    max_insurance_fraction: float | None = None
    """The insurance cap, as a fraction of R (NO_LIMIT removes it)."""
    min_cash_fraction: float | None = None
    """The cash floor, as a fraction of R (NO_LIMIT removes it)."""
    assumptions: Mapping[str, float] = field(default_factory=dict)
    """Regime assumptions set by name (cases whose R comes from a regime rulebook)."""

    def is_neutral(self) -> bool:
        """True when the levers change nothing."""
        scales = {target: factor for target, factor in self.premium_scale.items() if factor != 1.0}
        return replace(self, premium_scale=scales) == Levers()

    def with_assumption(self, name: str, value: float | None) -> Levers:
        """The levers with one regime assumption set (None: as in the case)."""
        values = {key: item for key, item in self.assumptions.items() if key != name}
        if value is not None:
            values[name] = value
        return replace(self, assumptions=values)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, for the workspace."""
        return {
            "requirement": self.requirement,
            "cash_cost_rate": self.cash_cost_rate,
            "premium_scale": {target.key(): factor for target, factor in self.premium_scale.items()},
            "max_insurance_fraction": self.max_insurance_fraction,
            "min_cash_fraction": self.min_cash_fraction,
            "assumptions": dict(self.assumptions),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Levers:
        """The levers written by ``to_dict``."""
        values = dict(data)
        scales = values.get("premium_scale") or {}
        values["premium_scale"] = {Target.from_key(key): factor for key, factor in scales.items()}
        return cls(**values)


NO_LIMIT = -1.0
"""Lever value meaning "remove this policy limit" (None already means "as in the case")."""


def premium_targets(case: Case) -> list[Target]:
    """Every kind and counterparty whose price can be scaled, kinds first, in case order."""
    kinds: list[Target] = []
    parties: list[Target] = []
    for item in case.instruments:
        if item.kind not in PRICE_FIELDS:
            continue
        by_kind = Target(TargetKind.KIND, str(item.kind))
        by_party = Target(TargetKind.COUNTERPARTY, tidy_name(item.counterparty or ""))
        if by_kind not in kinds:
            kinds.append(by_kind)
        if not any(party.applies_to({"counterparty": by_party.name}) for party in parties):
            parties.append(by_party)
    return kinds + parties


def apply_levers(data: Mapping[str, Any], levers: Levers) -> dict[str, Any]:
    """A deep copy of raw case data with the levers applied (not yet checked)."""
    result = copy.deepcopy(dict(data))
    if levers.requirement is not None:
        result["requirement"] = {"amount": levers.requirement}
    elif levers.assumptions:
        requirement = dict(result.get("requirement") or {})
        requirement["assumptions"] = {**(requirement.get("assumptions") or {}), **levers.assumptions}
        result["requirement"] = requirement
    for item in result.get("instruments", []):
        if levers.cash_cost_rate is not None and item.get("kind") == Kind.CASH:
            item["cost_rate"] = levers.cash_cost_rate
        price_field = PRICE_FIELDS.get(item.get("kind", ""))
        if price_field is None or not isinstance(item.get(price_field), int | float):
            continue
        for target, factor in levers.premium_scale.items():
            if target.applies_to(item):
                item[price_field] = item[price_field] * factor
    constraints = dict(result.get("constraints") or {})
    for name in ("max_insurance_fraction", "min_cash_fraction"):
        value = getattr(levers, name)
        if value is not None:
            constraints[name] = None if value == NO_LIMIT else value
    result["constraints"] = constraints
    return result


def variant_case(case: Case, levers: Levers, source: str = "the what-if variant") -> Case:
    """The case with the levers applied, checked like a file.

    Raises
    ------
    CaseError
        If a lever takes a value out of range (for example a premium rate scaled above 1).
    """
    return check_case(apply_levers(case.model_dump(mode="json"), levers), source)


_STEP = re.compile(r"([A-Za-z_][A-Za-z_0-9]*)(?:\[(\d+)\])?")


def set_path(data: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of raw case data with the field at ``path`` set (``instruments[1].max_amount``).

    Used to apply a suggested fix, whose ``field`` is such a path. Missing sections are created.

    Raises
    ------
    KeyError
        If the path does not lead to a field of the data (a list index out of range).
    """
    result = copy.deepcopy(dict(data))
    steps = path.split(".")
    node: Any = result
    for position, step in enumerate(steps):
        match = _STEP.fullmatch(step)
        if match is None:
            msg = f"cannot read the field path {path!r} at {step!r}"
            raise KeyError(msg)
        name, index = match.group(1), match.group(2)
        last = position == len(steps) - 1
        if index is None:
            if last:
                node[name] = value
            else:
                if node.get(name) is None:
                    node[name] = {}
                node = node[name]
            continue
        items = node.get(name)
        if not isinstance(items, list) or int(index) >= len(items):
            msg = f"the field path {path!r} names {name}[{index}], which does not exist"
            raise KeyError(msg)
        if last:
            items[int(index)] = value
        else:
            node = items[int(index)]
    return result
