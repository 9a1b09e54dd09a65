"""The coverage model's bookkeeping: constraint families, what each row means, the built model.

Kept apart from the builders (model.py) so that collect, diagnose and solve can read a built
model without importing how it is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

import pulp

from optimizer.case.phrase import Phrase
from optimizer.case.schema import Case
from optimizer.case.terms import AnyInstrument, unit_amount
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
    WHOLE_UNITS = "whole_units"
    """Ties a parametric cover's money column to its whole number of units (a definition)."""
    RISK_LIMIT = "risk_limit"
    """A risk limit of the case: CVaR or expected uncovered loss at most so much (risk_limits.py)."""
    RISK_CUT = "risk_cut"
    """A cutting plane of a risk measure (defines the measure's value, not a limit; risk_limits.py)."""


DEMAND_FAMILIES = frozenset({Family.LADDER, Family.FACE, Family.MIN_CASH, Family.LIQUIDITY, Family.MANDATORY_COVER})
"""Rows of the form 'enough of something' (>=)."""
LIMIT_FAMILIES = frozenset({Family.COUNTERPARTY_CAP, Family.INSURANCE_CAP, Family.CAPACITY})
"""Rows of the form 'at most so much' (<=)."""
DEFINITION_FAMILIES = frozenset({Family.LADDER_TOTAL, Family.WHOLE_UNITS, Family.RISK_CUT})
"""Rows that define helper variables (the risk cuts define theta): never a limit a user reads about."""


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
    note_phrase: Phrase | None = None
    """``note`` as a phrase for other languages (None: the note is said as written)."""
    unit: float | None = None
    """Money per unit of the row as the LP holds it; None means R (see ``row_unit``)."""


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
    whole_units: dict[str, pulp.LpVariable] = field(default_factory=dict)
    """Instrument id -> integer count of units, for parametric cover sold in whole units."""
    rounded_units: list[str] = field(default_factory=list)
    """Ids of covers in whole units finer than the money tolerance: solved continuous, rounded."""
    rows: dict[str, Row] = field(default_factory=dict)
    is_mip: bool = False
    elastic: Elastic | None = None
    relaxations: dict[str, pulp.LpVariable] = field(default_factory=dict)
    """Slack variables of an elastic copy: by family for demand rows, by row name for limits."""
    prefix: str = ""
    """Put before every row and variable name, so several years' models can share one problem
    (the transition plan, model.md section 7: ``y2__ladder__5000000000``); empty for one year."""


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
    """Natural units (amount, share, units) per unit of the instrument's LP column.

    Every column is money bought divided by R (``scale``): cash held, share x limit, units x
    payout. A column in natural units would carry coefficients of payout / R, and a cover
    sold in units of ¥1 against R = ¥10bn would put 1e-10 in the matrix, which HiGHS drops
    as below its small_matrix_value (1e-9) and then never buys (issue #8, item 1). In money
    per R, every instrument's coefficient in the face, cap and liquidity rows is its credit
    factor, and its cost coefficient its price per unit of money.
    """
    return scale / unit_amount(item)


FINE_UNIT_FRACTION = 1e-9
"""A parametric unit paying at most max(1, this x R) is finer than the money tolerance."""


def is_fine_unit(item: AnyInstrument, scale: float) -> bool:
    """Whole units of ``item`` are finer than the money tolerance of verification (max(1, 1e-9 R)).

    Their integrality is then rounded, not branched on: the count reaches R / payout (1e10
    for ¥1 units against ¥10bn), beyond what a MIP solver can hold whole in double precision
    at an integrality tolerance of 1e-9, and HiGHS has returned a wrong "Optimal" on such
    counts. Rounding the LP's count to the nearest whole unit moves every rule by at most
    half a payout, inside the tolerance, and the cost by at most half a premium.
    """
    return unit_amount(item) <= max(1.0, FINE_UNIT_FRACTION * scale)


WHOLE_UNITS_MAX_COUNT = 1e6
"""Most whole units a MILP is asked to count up to R: past it, HiGHS has answered wrongly."""


def too_many_whole_units(item: AnyInstrument, scale: float) -> bool:
    """Whole units so small against R that the count needed exceeds ``WHOLE_UNITS_MAX_COUNT``.

    Between a unit finer than the money tolerance (rounded, ``is_fine_unit``) and 1e-6 R a
    unit must be counted in the millions or more. Measured here: HiGHS 1.16 returned "Solve
    error" on ¥700 units against R = ¥10bn at an integrality tolerance of 1e-9, and a wrong
    "Optimal" (the most units on offer, 40% dearer than the optimum) at 1e-7 and 1e-6, which
    the optimality check cannot see because it takes the integer choices as given. Such a
    case is refused with a message rather than answered wrongly.
    """
    from optimizer.case.schema import Parametric

    return (
        isinstance(item, Parametric)
        and item.integer_units
        and not is_fine_unit(item, scale)
        and item.payout * WHOLE_UNITS_MAX_COUNT < scale
        and (item.max_units is None or item.max_units > WHOLE_UNITS_MAX_COUNT)
    )


def row_unit(model: CoverageModel, row: Row) -> float:
    """Money per unit of ``row`` as the LP holds it (R unless the row says otherwise)."""
    return model.scale if row.unit is None else row.unit


def safe_name(text: str) -> str:
    """A row/column name fragment: PuLP rewrites '-+[] ->/', so keep to [A-Za-z0-9_]."""
    return re.sub(r"[^A-Za-z0-9_]", "_", text)[:40]
