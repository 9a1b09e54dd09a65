"""The coverage model's bookkeeping: constraint families, what each row means, the built model.

Kept apart from the builders (model.py) so that collect, diagnose and solve can read a built
model without importing how it is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pulp

from optimizer.case.schema import Case, Kind
from optimizer.case.terms import AnyInstrument
from optimizer.rules.requirement import Basis


class Family(StrEnum):
    """Constraint families (model.md sections 2-3)."""

    LADDER = "ladder"
    FACE = "face"
    MIN_CASH = "min_cash"
    COUNTERPARTY_CAP = "counterparty_cap"
    INSURANCE_CAP = "insurance_cap"
    LIQUIDITY = "liquidity"
    MANDATORY_COVER = "mandatory_cover"
    """Cover a regime requires whatever R is, such as VARA's crime cover on hot wallets."""
    CAPACITY = "capacity"
    """An instrument's own upper bound, as a row (only in elastic copies used for diagnosis)."""
    LADDER_TOTAL = "ladder_total"
    """Running totals of the ladder test (definitions, not limits; see optimizer/coverage/ladder.py)."""


DEMAND_FAMILIES = frozenset(
    {Family.LADDER, Family.FACE, Family.MIN_CASH, Family.LIQUIDITY, Family.MANDATORY_COVER}
)
"""Rows of the form 'enough of something' (>=)."""
LIMIT_FAMILIES = frozenset({Family.COUNTERPARTY_CAP, Family.INSURANCE_CAP, Family.CAPACITY})
"""Rows of the form 'at most so much' (<=)."""


@dataclass(frozen=True)
class Row:
    """What one LP row means, in the case's own terms."""

    name: str
    family: Family
    rhs: float
    """Right-hand side in money (before scaling)."""
    rhs_per_requirement: float
    """d(rhs)/dR: how the row moves when R moves (for the marginal cost of R)."""
    loss: float | None = None
    """Single-incident loss size of a ladder row."""
    counterparty: str | None = None
    instrument: str | None = None
    """Instrument id of a capacity row."""
    note: str | None = None
    """Where the row's limit comes from, in words (insurance cap, mandatory cover)."""


@dataclass
class CoverageModel:
    """A built coverage model: the PuLP problem plus the maps back to the case."""

    case: Case
    basis: Basis
    scale: float
    problem: pulp.LpProblem
    decisions: dict[str, pulp.LpVariable]
    """Instrument id -> decision variable (amount/scale, share, or units)."""
    switches: dict[str, pulp.LpVariable] = field(default_factory=dict)
    """Instrument id -> 0/1 variable for min_share and all-or-nothing layers."""
    rows: dict[str, Row] = field(default_factory=dict)
    is_mip: bool = False
    elastic: Elastic | None = None
    relaxations: dict[str, pulp.LpVariable] = field(default_factory=dict)
    """Slack variables of an elastic copy: by family for demand rows, by row name for limits."""


@dataclass(frozen=True)
class Elastic:
    """How to build an elastic copy of the model, for diagnosing an infeasible case.

    Rows of the ``soft`` families get a non-negative slack and the objective becomes the total
    slack (in units of R) instead of cost. Demand rows of one family share one slack, so for
    the ladder it reads as "the cover falls short by this much at the worst loss size". Every
    instrument's upper bound becomes a capacity row, so it can be relaxed and has a dual.
    Integrality is relaxed: the diagnosis speaks of money, not of whole units.
    """

    soft: frozenset[Family]
    only_row: str | None = None
    """If set, only this row (by name) is soft."""
    shared: bool = False
    """One slack for all soft limit rows of a family: the least common loosening (a cap per
    counterparty is one field, max_counterparty_fraction, for every counterparty)."""


def column_scale(item: AnyInstrument, scale: float) -> float:
    """Money amounts are decided in units of R; shares and units in their own unit."""
    return scale if item.kind in (Kind.CASH, Kind.GUARANTEE) else 1.0
