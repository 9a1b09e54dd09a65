"""What each instrument pays per unit of its decision in every loss year (model.md section 4).

The payout matrix A has one row per loss year and one column per instrument; with the
instrument terms fixed, every entry is a constant per unit of the decision x_k (money for cash
and guarantees, share for insurance, units for parametric), so recoveries are linear in x:

- cash, guarantee: A_sk = 1, first-loss money available once over the year;
- insurance: A_sk = min(sum_e clip(x_e - a, 0, l), aggregate_limit)  (P_is);
- parametric: A_sk = payout * min(#{e : x_e >= trigger}, max_payouts_per_year)  (Q_js);
- a counterparty's default in year s sets its instruments' A_sk to 0.

The uncovered loss of a mix x is then U_s = max(0, L_s - sum_k A_sk x_k). Credit factors are
the regulator's recognition and do not change what an instrument pays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from optimizer.case.names import counterparty_key
from optimizer.case.schema import Case, Insurance, Kind, Parametric
from optimizer.case.terms import unit_amount, unit_cost
from optimizer.risk.defaults import BoolArray
from optimizer.risk.scenarios import FloatArray, Scenarios


@dataclass(frozen=True, eq=False)
class Terms:
    """The instruments' payout terms as arrays, one entry per instrument (case order)."""

    ids: tuple[str, ...]
    kinds: tuple[str, ...]
    counterparties: tuple[str | None, ...]
    """Normalised counterparty names (None for cash held without one)."""
    unit_amount: FloatArray
    """Money bought per unit of the decision: 1, the limit, the payout."""
    unit_cost: FloatArray
    """Annual cost per unit of the decision (premium, fee, cost of cash)."""

    @property
    def first_loss(self) -> BoolArray:
        """Cash and guarantees: money that pays the first yen of the year's loss."""
        return np.array([k in (Kind.CASH, Kind.GUARANTEE) for k in self.kinds], dtype=bool)

    def columns_of(self, counterparty: str) -> list[int]:
        """Indices of the instruments of one (normalised) counterparty."""
        return [k for k, name in enumerate(self.counterparties) if name == counterparty]


def instrument_terms(case: Case) -> Terms:
    """The case's instruments as payout terms."""
    items = case.instruments
    return Terms(
        ids=tuple(i.id for i in items),
        kinds=tuple(str(i.kind) for i in items),
        counterparties=tuple(counterparty_key(i.counterparty) if i.counterparty else None for i in items),
        unit_amount=np.array([unit_amount(i) for i in items], dtype=np.float64),
        unit_cost=np.array([unit_cost(i) for i in items], dtype=np.float64),
    )


def payout_matrix(
    scenarios: Scenarios,
    case: Case,
    defaults: Mapping[str, BoolArray] | None = None,
) -> FloatArray:
    """A: (n, K) payout per unit of each instrument's decision in each loss year.

    Parameters
    ----------
    scenarios : Scenarios
        The loss years (pass ``scenarios.slice(i, j)`` to build a block of rows).
    case : Case
        The instruments, in case order (columns).
    defaults : mapping, optional
        Normalised counterparty name -> (n,) mask of the loss years it defaults in, aligned
        with ``scenarios`` (slice it alike).
    """
    n = scenarios.loss_years
    matrix = np.empty((n, len(case.instruments)), dtype=np.float64)
    starts = scenarios.offsets[:-1]
    losses = scenarios.incident_loss
    for k, item in enumerate(case.instruments):
        if n == 0:
            continue
        if isinstance(item, Insurance):
            per_incident = np.clip(losses - item.attachment, 0.0, item.limit)
            column = np.add.reduceat(per_incident, starts)
            if item.aggregate_limit is not None:
                np.minimum(column, item.aggregate_limit, out=column)
        elif isinstance(item, Parametric):
            triggered = np.add.reduceat((losses >= item.trigger).astype(np.float64), starts)
            column = item.payout * np.minimum(triggered, float(item.max_payouts_per_year))
        else:
            column = np.ones(n)
        matrix[:, k] = column
        key = counterparty_key(item.counterparty) if item.counterparty else None
        if defaults and key is not None and key in defaults:
            matrix[defaults[key], k] = 0.0
    return matrix


def decisions_from_amounts(case: Case, amounts: Mapping[str, float]) -> FloatArray:
    """x: each instrument's decision from the money bought (``allocations[].amount``); 0 if absent."""
    return np.array(
        [amounts.get(item.id, 0.0) / unit_amount(item) for item in case.instruments],
        dtype=np.float64,
    )
