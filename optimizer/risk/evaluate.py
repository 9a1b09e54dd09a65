"""Evaluate a mix over the scenarios: uncovered loss, recoveries, default impact.

Works through the loss years in blocks of ``BLOCK_YEARS`` rows of the payout matrix, so
memory stays at one block (BLOCK_YEARS x K floats) whatever S is; only the (n,) uncovered loss
is kept, because the tail measures need it.

Who pays what in a year: insurance and parametric cover pay what their terms say (A_sk x_k);
what is left of the loss is paid from cash first, then guarantees in case order (first-loss
money, available once a year). The order only splits recoveries between cash and guarantees;
the uncovered loss U_s = max(0, L_s - sum_k A_sk x_k) does not depend on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from optimizer.case.schema import Case, Kind
from optimizer.risk.defaults import BoolArray
from optimizer.risk.payouts import Terms, payout_matrix
from optimizer.risk.scenarios import FloatArray, Scenarios

BLOCK_YEARS = 262_144
"""Loss years per block: 2 MB per instrument column."""


@dataclass(frozen=True, eq=False)
class MixOutcome:
    """A mix's results over the loss years (zero-loss years add nothing to any sum)."""

    uncovered: FloatArray
    """(n,) U in each loss year."""
    recovered: FloatArray
    """(K,) total paid by each instrument over all S years."""
    unit_payout: FloatArray
    """(K,) total of each column of A over all S years: the payout of one unit of decision."""
    default_added: dict[str, float]
    """Counterparty -> total extra uncovered loss over S years if it paid nothing in any year."""


@dataclass(frozen=True, eq=False)
class YearPayments:
    """Who pays what in a block of loss years."""

    paid: FloatArray
    """(rows, K) money each instrument pays (first-loss money cut to what is used)."""
    available: FloatArray
    """(rows, K) money each instrument could pay: A_sk x_k."""
    uncovered: FloatArray
    """(rows,) U_s = max(0, L_s - sum_k A_sk x_k)."""


def pay_years(
    block: Scenarios,
    case: Case,
    terms: Terms,
    x: FloatArray,
    defaults: Mapping[str, BoolArray] | None = None,
    matrix: FloatArray | None = None,
) -> YearPayments:
    """Split each loss year's loss between the instruments of the mix ``x`` (see module docstring)."""
    if matrix is None:
        matrix = payout_matrix(block, case, defaults)
    available = matrix * x
    loss = block.annual_loss
    total = available.sum(axis=1)
    uncovered = np.maximum(loss - total, 0.0)
    first = _first_loss_order(terms)
    # Only first-loss columns change (cut to what is used); cover columns pay their terms.
    paid = available.copy() if first else available
    remaining = np.maximum(loss - (total - available[:, first].sum(axis=1)), 0.0)
    for k in first:
        used = np.minimum(available[:, k], remaining)
        paid[:, k] = used
        remaining -= used
    return YearPayments(paid, available, uncovered)


def evaluate_mix(
    scenarios: Scenarios,
    case: Case,
    terms: Terms,
    x: FloatArray,
    defaults: Mapping[str, BoolArray] | None = None,
) -> MixOutcome:
    """U_s, recoveries, unit payouts and default impact of the mix ``x`` (decision units, case order)."""
    n = scenarios.loss_years
    uncovered = np.empty(n)
    recovered = np.zeros(len(terms.ids))
    unit = np.zeros(len(terms.ids))
    counterparties = sorted({c for c, v in zip(terms.counterparties, x, strict=True) if c and v > 0})
    added = dict.fromkeys(counterparties, 0.0)
    for start in range(0, n, BLOCK_YEARS):
        stop = min(start + BLOCK_YEARS, n)
        block = scenarios.slice(start, stop)
        matrix = payout_matrix(block, case, {key: mask[start:stop] for key, mask in (defaults or {}).items()})
        payments = pay_years(block, case, terms, x, matrix=matrix)
        uncovered[start:stop] = payments.uncovered
        recovered += payments.paid.sum(axis=0)
        unit += matrix.sum(axis=0)
        total = payments.available.sum(axis=1)
        for name in counterparties:
            without = total - payments.available[:, terms.columns_of(name)].sum(axis=1)
            added[name] += float((np.maximum(block.annual_loss - without, 0.0) - payments.uncovered).sum())
    return MixOutcome(uncovered, recovered, unit, added)


def _first_loss_order(terms: Terms) -> list[int]:
    cash = [k for k, kind in enumerate(terms.kinds) if kind == Kind.CASH]
    guarantees = [k for k, kind in enumerate(terms.kinds) if kind == Kind.GUARANTEE]
    return cash + guarantees
