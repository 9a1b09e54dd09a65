"""The answer: a frozen Solution and the pieces it is made of, and its JSON form.

Field names of the JSON answer follow design/case-format.md ("The answer"); everything past
its core (binding constraints, duals, prices, ladder, diagnosis) is additional.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any

from optimizer.case.phrase import Phrase, without_phrase


class Status(StrEnum):
    """Outcome reported to the user."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"


@dataclass(frozen=True)
class Allocation:
    """What is bought of one instrument, and what it costs and counts for."""

    id: str
    kind: str
    counterparty: str | None
    amount: float
    """Money bought: cash held, guarantee drawn, share x limit, units x payout."""
    annual_cost: float
    credited: float
    """Credited face: amount x effective credit (face mode, caps, liquidity)."""
    share: float | None = None
    """Share of the layer (insurance only)."""
    units: float | None = None
    """Units bought (parametric only)."""
    at_capacity: bool = False
    """True when everything on offer is bought."""


@dataclass(frozen=True)
class Binding:
    """A constraint that holds with equality and shapes the answer."""

    name: str
    family: str
    text: str
    """The constraint in plain words."""
    shadow_price: float | None = None
    """Annual cost per unit of money the constraint is moved by (dual), if known."""
    phrase: Phrase | None = dataclass_field(default=None, compare=False, repr=False)
    """``text`` as a catalogue key and parameters, for other languages (not in the JSON answer)."""


@dataclass(frozen=True)
class DemandStep:
    """One flat piece of an instrument's demand curve: ``quantity`` is bought at prices in (low, high)."""

    low: float
    high: float | None
    """None: every price above ``low``."""
    quantity: float
    """Share, units, or amount bought."""
    amount: float
    """Money bought (share x limit, units x payout, or the amount)."""


@dataclass(frozen=True)
class PriceSignal:
    """The prices at which an instrument enters, is cut, or drops out of the mix (model.md 6).

    From the duals (``exact`` False), ``break_even`` is the reduced-cost estimate, wrong when the
    LP is degenerate; optimizer.pricing replaces it with the exact figures from parametric
    re-solves (``exact`` True) and adds the demand curve.
    """

    id: str
    kind: str
    price_field: str
    """The case field that prices it: cost_rate, fee_rate, premium_rate or premium."""
    current: float
    reduced_cost: float
    """Annual money the instrument loses per unit of its decision at the optimal prices."""
    break_even: float | None
    """Largest value of ``price_field`` at which it is bought (not bought: it enters there or
    below; bought: it drops out above it); 0 or less: at no positive price; None: it never
    drops out (the case cannot be met without it)."""
    cut_price: float | None = None
    """Bought instruments: the lowest price above ``current`` at which less is bought (None: never)."""
    exact: bool = False
    """True when found by parametric re-solves and confirmed just below and above."""
    demand: tuple[DemandStep, ...] = ()
    """The demand curve as flat pieces, from price 0 up (exact signals only)."""


@dataclass(frozen=True)
class LadderPoint:
    """Funds available to pay one incident of size ``loss`` (ladder chart, model.md 2)."""

    loss: float
    funds: float
    by_instrument: Mapping[str, float]


@dataclass(frozen=True)
class Shortfall:
    """One demand the case cannot meet, how far short, and the limits that stop it."""

    constraint: str
    shortfall: float
    """Money that cannot be covered."""
    text: str
    limits: tuple[str, ...]
    """The limits that hold together against it, in words."""
    phrase: Phrase | None = dataclass_field(default=None, compare=False, repr=False)
    """``text`` as a catalogue key and parameters, for other languages (not in the JSON answer)."""


@dataclass(frozen=True)
class Fix:
    """A single change that makes an infeasible case feasible, and what the mix would cost."""

    change: str
    field: str
    """Case field path to edit."""
    current: float | None
    proposed: float | None
    total_cost: float
    phrase: Phrase | None = dataclass_field(default=None, compare=False, repr=False)
    """``change`` as a catalogue key and parameters, for other languages (not in the JSON answer)."""


@dataclass(frozen=True)
class RiskLimitResult:
    """A risk limit of the case (``risk.max_cvar``, ``risk.max_expected_uncovered``) at the optimum."""

    name: str
    """The case field under ``risk:``."""
    measure: str
    """What is limited, in words (for example "CVaR 99% (1-in-100-year) of the uncovered annual loss")."""
    limit: float
    value: float
    """The measure of the returned mix, recomputed over all years by sorting (not from the LP)."""
    regulatory_only_value: float
    """The measure of the cheapest mix without the risk limits."""
    binding: bool
    """True when the limit changes the answer (the cheapest mix without it breaks it)."""
    price: float | None
    """Annual cost of lowering the limit by one unit of money (from the dual; None: not binding)."""
    text: str
    """The limit, and its price in plain words."""


@dataclass(frozen=True)
class Solution:
    """The answer to one case: the cheapest compliant mix, explained, or why there is none."""

    status: Status
    case_name: str
    currency: str
    coverage: str
    requirement: float
    total_cost: float | None
    allocations: tuple[Allocation, ...]
    requirement_source: str = "given in the case"
    excluded: Mapping[str, str] = field(default_factory=dict)
    """Instruments the requirement does not credit, with the reason."""
    requirement_breakdown: Mapping[str, Any] = field(default_factory=dict)
    """How R was computed: terms, which binds, inputs and their status (optimizer/rules/explain.py)."""
    binding: tuple[Binding, ...] = ()
    marginal_cost_of_requirement: float | None = None
    """Annual cost of one more unit of money of R (from duals)."""
    duals: Mapping[str, float] = field(default_factory=dict)
    duals_note: str = ""
    not_bought: tuple[PriceSignal, ...] = ()
    bought: tuple[PriceSignal, ...] = ()
    """Entry, cut and drop-out prices of the instruments bought (filled by optimizer.pricing)."""
    ladder: tuple[LadderPoint, ...] = ()
    face_total: float = 0.0
    """Cash plus credited face of everything bought."""
    ladder_minimum_margin: float | None = None
    """Smallest (funds - loss) over the ladder test's loss sizes; >= 0 when the test passes."""
    diagnosis: tuple[Shortfall, ...] = ()
    fixes: tuple[Fix, ...] = ()
    """Single changes that would make an infeasible case feasible, cheapest first."""
    fix_search: str = ""
    """How the fixes were found and how close each is to the least change that works."""
    fix_search_phrase: Phrase | None = None
    """``fix_search`` as a phrase for other languages (not in the JSON answer)."""
    merged_counterparties: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Counterparty written in more than one way -> its spellings, treated as one for the caps."""
    not_on_offer: tuple[str, ...] = ()
    """Instruments offered with zero capacity: they cannot be bought, so have no entry price."""
    solver: str = ""
    is_mip: bool = False
    timings: Mapping[str, float] = field(default_factory=dict)
    verified: bool = False
    """True when verify_solution re-checked the mix against every constraint."""
    risk_limits: tuple[RiskLimitResult, ...] = ()
    """The case's risk limits, held together with the requirement (issue #10); empty without them."""
    regulatory_only_cost: float | None = None
    """With risk limits: the cost of the cheapest mix meeting every rule but the risk limits."""
    risk_solve: Mapping[str, Any] = field(default_factory=dict)
    """With risk limits: years, loss years, distinct rows, cut rounds and cuts of the exact solve."""

    def allocation(self, instrument_id: str) -> Allocation:
        """The allocation of one instrument."""
        for item in self.allocations:
            if item.id == instrument_id:
                return item
        msg = f"no allocation for instrument {instrument_id!r}"
        raise KeyError(msg)

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer (design/case-format.md), with the extra fields after the core."""
        answer: dict[str, Any] = {
            "status": str(self.status),
            "currency": self.currency,
            "requirement": self.requirement,
            "total_cost": self.total_cost,
            "allocations": [allocation_dict(item) for item in self.allocations],
        }
        if self.status is Status.INFEASIBLE:
            answer["diagnosis"] = [without_phrase(item) for item in self.diagnosis]
            answer["fixes"] = [without_phrase(item) for item in self.fixes]
            answer["fix_search"] = self.fix_search
        answer.update(
            case_name=self.case_name,
            coverage=self.coverage,
            requirement_source=self.requirement_source,
            excluded=dict(self.excluded),
            requirement_breakdown=dict(self.requirement_breakdown),
            face_total=self.face_total,
            ladder_minimum_margin=self.ladder_minimum_margin,
            binding=[without_phrase(item) for item in self.binding],
            marginal_cost_of_requirement=self.marginal_cost_of_requirement,
            not_bought=[asdict(item) for item in self.not_bought],
            bought=[asdict(item) for item in self.bought],
            not_on_offer=list(self.not_on_offer),
            merged_counterparties={name: list(spellings) for name, spellings in self.merged_counterparties.items()},
            duals=dict(self.duals),
            duals_note=self.duals_note,
            ladder=[{"loss": p.loss, "funds": p.funds, "by_instrument": dict(p.by_instrument)} for p in self.ladder],
            solver=self.solver,
            is_mip=self.is_mip,
            verified=self.verified,
            timings=dict(self.timings),
        )
        if self.risk_limits or self.risk_solve:
            answer.update(
                risk_limits=[asdict(item) for item in self.risk_limits],
                regulatory_only_cost=self.regulatory_only_cost,
                risk_solve=dict(self.risk_solve),
            )
        return answer


def allocation_dict(item: Allocation) -> dict[str, Any]:
    """One entry of the JSON answer's ``allocations`` (design/case-format.md)."""
    row: dict[str, Any] = {"id": item.id, "kind": item.kind}
    if item.share is not None:
        row["share"] = item.share
    if item.units is not None:
        row["units"] = item.units
    row.update(
        amount=item.amount,
        annual_cost=item.annual_cost,
        credited=item.credited,
        counterparty=item.counterparty,
        at_capacity=item.at_capacity,
    )
    return row
