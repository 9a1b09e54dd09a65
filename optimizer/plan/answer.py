"""The answer to a plan: a frozen PlanSolution, one PlanYearAnswer per year, and its JSON form.

The JSON core is fixed by design/case-format.md (``reserve-opt plan``): ``status``,
``discounted_cost`` and ``years`` with ``year``, ``requirement``, ``cash``, ``set_aside``,
``annual_cost`` and ``allocations``; everything after it is additional.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from optimizer.case.phrase import without_phrase
from optimizer.coverage.solution import Allocation, Binding, Fix, Shortfall, Status, allocation_dict


@dataclass(frozen=True)
class PlanYearAnswer:
    """One year of a plan: what it requires, the cash held, what is bought and what it costs."""

    year: int
    requirement: float
    """R_t in money."""
    fraction: float
    """The phase-in fraction of R this year."""
    requirement_source: str
    cash: float
    """Cash held this year (the balance C_t)."""
    set_aside: float
    """Cash added this year, C_t - C_{t-1} when positive."""
    release: float
    """Cash taken out this year, C_{t-1} - C_t when positive (0 unless release is allowed)."""
    capacity: float | None
    """The most cash that could be set aside this year; None means no limit."""
    annual_cost: float
    """This year's cost at this year's prices, undiscounted."""
    discount_factor: float
    """(1 + discount_rate)^-(t-1)."""
    allocations: tuple[Allocation, ...]
    """Every instrument of the case, zeros included (and for those not on offer this year)."""
    unavailable: tuple[str, ...] = ()
    """Instruments not on offer this year."""
    binding: tuple[Binding, ...] = ()
    """What binds this year; shadow prices in discounted plan cost per unit of money."""
    capacity_value: float | None = None
    """Discounted plan cost saved per unit of money of extra set-aside capacity this year
    (minus the dual of the year's set-aside row); None when the year has no capacity limit."""

    @property
    def discounted_cost(self) -> float:
        """The year's cost as it counts in the objective (annual cost x discount factor)."""
        return self.annual_cost * self.discount_factor


@dataclass(frozen=True)
class PlanSolution:
    """The cheapest path over the plan's years, explained; or why there is none."""

    status: Status
    case_name: str
    currency: str
    years: tuple[PlanYearAnswer, ...]
    discounted_cost: float | None
    """sum_t (1 + d)^-(t-1) x annual cost of year t (the objective); None when infeasible."""
    total_cost: float | None
    """sum_t annual cost of year t, undiscounted."""
    starting_cash: float
    allow_release: bool
    discount_rate: float
    diagnosis: tuple[Shortfall, ...] = ()
    """For an infeasible plan: each year's shortfall in money and the limits that cause it."""
    fixes: tuple[Fix, ...] = ()
    duals_note: str = ""
    solver: str = ""
    is_mip: bool = False
    timings: Mapping[str, float] = field(default_factory=dict)
    verified: bool = False
    """True when every year's mix and the cash path were re-checked without the LP."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer of ``reserve-opt plan`` (core fields first)."""
        years = []
        for item in self.years:
            years.append(
                {
                    "year": item.year,
                    "requirement": item.requirement,
                    "cash": item.cash,
                    "set_aside": item.set_aside,
                    "annual_cost": item.annual_cost,
                    "allocations": [allocation_dict(a) for a in item.allocations],
                    "release": item.release,
                    "capacity": item.capacity,
                    "capacity_value": item.capacity_value,
                    "fraction": item.fraction,
                    "requirement_source": item.requirement_source,
                    "discount_factor": item.discount_factor,
                    "discounted_cost": item.discounted_cost,
                    "unavailable": list(item.unavailable),
                    "binding": [without_phrase(b) for b in item.binding],
                }
            )
        answer: dict[str, Any] = {
            "status": str(self.status),
            "discounted_cost": self.discounted_cost,
            "years": years,
            "currency": self.currency,
            "total_cost": self.total_cost,
        }
        if self.status is Status.INFEASIBLE:
            answer["diagnosis"] = [without_phrase(item) for item in self.diagnosis]
            answer["fixes"] = [without_phrase(item) for item in self.fixes]
        answer.update(
            case_name=self.case_name,
            starting_cash=self.starting_cash,
            allow_release=self.allow_release,
            discount_rate=self.discount_rate,
            duals_note=self.duals_note,
            solver=self.solver,
            is_mip=self.is_mip,
            verified=self.verified,
            timings=dict(self.timings),
        )
        return answer
