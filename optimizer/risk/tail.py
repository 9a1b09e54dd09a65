"""Tail measures as functions of the mix: the reduced year table and its cutting planes.

The risk constraint of model.md section 4 needs, for a trial mix x, the exact value of a tail
measure of the uncovered loss U_s(x) = max(0, L_s - A_s x) and a linear cut that is valid for
every mix and tight at x (Kunzi-Bay & Mayer 2006, "CVaRMin"):

- CVaR_alpha(U(x)) = max { (1/k) sum_s w_s U_s(x) : 0 <= w_s <= 1, sum_s w_s = k },
  k = (1 - alpha) S, the Rockafellar-Uryasev value written as its dual (a weighted mean of the
  k worst years, the (j + 1)-th worst with weight k - floor(k)). For the weights w* of the
  worst years at x, and W the years among them with U_s(x) > 0,
  CVaR(y) >= (1/k) sum_{s in W} w*_s (L_s - A_s y) for every mix y (because U_s(y) >= 0 and
  U_s(y) >= L_s - A_s y), with equality at y = x: the cut.
- E[U(x)] is the same with k = S and every w_s = 1.

Exact reductions (model.md section 4): zero-loss years are not held (``Scenarios`` keeps only
loss years; a year with loss 0 can never bind), and loss years with identical rows
(L_s, A_s) merge into one row with a count, which enters every weight: the worst k "years"
are then the worst rows counted with their multiplicity. The worst rows are found by a
partial sort (``np.argpartition``): with counts >= 1 the weighted tail lies within the
ceil(k) + 1 rows of largest U, so only those are sorted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from optimizer.case.schema import Case
from optimizer.risk.build import settings_of
from optimizer.risk.defaults import BoolArray, draw_defaults
from optimizer.risk.evaluate import BLOCK_YEARS
from optimizer.risk.measures import level_fraction
from optimizer.risk.payouts import payout_matrix
from optimizer.risk.scenarios import FloatArray, Scenarios


@dataclass(frozen=True, eq=False)
class YearTable:
    """The loss years reduced for optimisation: distinct rows (L, A) with their counts."""

    years: int
    """S: every year, loss years or not (the weights' denominator)."""
    loss: FloatArray
    """(r,) annual loss L of each distinct row, > 0."""
    payout: FloatArray
    """(r, K) payout per unit of each instrument's decision (C order)."""
    count: FloatArray
    """(r,) how many loss years share the row (whole numbers, held as floats for products)."""
    loss_years: int
    """n: loss years before merging (r <= n)."""

    @property
    def rows(self) -> int:
        """r: distinct rows."""
        return int(self.loss.size)


@dataclass(frozen=True, eq=False)
class TailCut:
    """A tail measure at a trial mix, and the linear cut tight there.

    For every mix y: measure(y) >= constant - slope . y, with equality at the trial mix.
    """

    value: float
    """The measure at the trial mix, in money."""
    constant: float
    """Money."""
    slope: FloatArray
    """(K,) money per unit of each decision."""


def case_defaults(case: Case, scenarios: Scenarios) -> dict[str, BoolArray]:
    """The counterparty default draws of the case's years, as ``risk_report`` draws them."""
    settings = settings_of(case)
    seed = scenarios.seed if scenarios.seed is not None else settings.seed
    return draw_defaults(scenarios, settings.default_probability or {}, seed)


def year_table(case: Case, scenarios: Scenarios, defaults: Mapping[str, BoolArray] | None = None) -> YearTable:
    """The reduced table of the case's loss years (zero-loss rows dropped, identical rows merged)."""
    matrix = payout_matrix(scenarios, case, defaults)
    loss = scenarios.annual_loss
    keep = loss > 0  # an events table may hold incidents of zero loss
    if not keep.all():
        matrix, loss = matrix[keep], loss[keep]
    merged_loss, merged_payout, count = merge_identical_rows(loss, matrix)
    return YearTable(scenarios.years, merged_loss, merged_payout, count, scenarios.loss_years)


def merge_identical_rows(loss: FloatArray, payout: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Rows (L_s, A_s) that are equal in every entry become one row with a count.

    Rows are first grouped by a random projection (one product, one 1-D sort); rows whose
    projection no other row shares are distinct and kept as they are, and only the others go
    through an exact ``np.unique`` over whole rows. A projection that happened to differ for
    equal rows would only miss a merge, never merge unequal rows. Row order is kept.
    """
    rows = loss.size
    count = np.ones(rows)
    if rows < 2:
        return loss, np.ascontiguousarray(payout), count
    rng = np.random.default_rng(0x6D65)
    key = payout @ rng.uniform(1.0, 2.0, payout.shape[1]) + loss * 1.5
    order = np.argsort(key)
    ordered = key[order]
    same = ordered[1:] == ordered[:-1]
    shared_sorted = np.zeros(rows, dtype=bool)
    shared_sorted[1:] |= same
    shared_sorted[:-1] |= same
    if not shared_sorted.any():
        return loss, np.ascontiguousarray(payout), count
    shared = np.sort(order[shared_sorted])
    block = np.column_stack([loss[shared], payout[shared]])
    _, first, sizes = np.unique(block, axis=0, return_index=True, return_counts=True)
    keep = np.ones(rows, dtype=bool)
    keep[shared] = False
    keep[shared[first]] = True
    count[shared[first]] = sizes
    index = np.flatnonzero(keep)
    return loss[index], np.take(payout, index, axis=0), count[index]


def tail_years(level: float, years: int) -> Fraction:
    """The tail size k = (1 - alpha) S, exactly (the level as the decimal the user wrote)."""
    return (1 - level_fraction(level)) * years


def cvar_cut(table: YearTable, x: FloatArray, tail: Fraction) -> TailCut:
    """CVaR of the uncovered loss at the mix ``x`` over the k = ``tail`` worst years, and its cut."""
    excess = table.loss - table.payout @ x
    positive = np.flatnonzero(excess > 0)
    k = float(tail)
    if positive.size == 0:
        return TailCut(0.0, 0.0, np.zeros(table.payout.shape[1]))
    if float(table.count[positive].sum()) > k:
        # Only the ceil(k) + 1 rows of largest U can carry weight: each row counts >= 1 year.
        keep = min(math.ceil(k) + 1, positive.size)
        if keep < positive.size:
            top = np.argpartition(excess[positive], positive.size - keep)[positive.size - keep :]
            positive = positive[top]
        positive = positive[np.argsort(excess[positive], kind="stable")[::-1]]
        counts = table.count[positive]
        before = np.concatenate([[0.0], np.cumsum(counts)[:-1]])
        weight = np.clip(k - before, 0.0, counts)  # the boundary row takes what is left of k
        used = weight > 0
        positive, weight = positive[used], weight[used]
    else:
        weight = table.count[positive]
    constant = float(weight @ table.loss[positive]) / k
    slope = (weight @ table.payout[positive]) / k
    value = float(weight @ excess[positive]) / k
    return TailCut(value, constant, slope)


def mean_cut(table: YearTable, x: FloatArray) -> TailCut:
    """Expected uncovered loss at the mix ``x`` over all S years, and its cut."""
    excess = table.loss - table.payout @ x
    positive = np.flatnonzero(excess > 0)
    weight = table.count[positive]
    years = float(table.years)
    constant = float(weight @ table.loss[positive]) / years
    slope = (weight @ table.payout[positive]) / years
    value = float(weight @ excess[positive]) / years
    return TailCut(value, constant, slope)


def uncovered_by_year(
    case: Case, scenarios: Scenarios, x: FloatArray, defaults: Mapping[str, BoolArray] | None = None
) -> FloatArray:
    """(n,) U_s of every loss year for the mix ``x``, rebuilt from the incidents in blocks.

    Shares nothing with the reduced table or the cuts: the check that a returned mix meets its
    limits sorts these values (``SortedLosses``), not the LP's rows.
    """
    n = scenarios.loss_years
    uncovered = np.empty(n)
    for start in range(0, n, BLOCK_YEARS):
        stop = min(start + BLOCK_YEARS, n)
        block = scenarios.slice(start, stop)
        masks = {key: mask[start:stop] for key, mask in (defaults or {}).items()}
        paid = payout_matrix(block, case, masks) @ x
        uncovered[start:stop] = np.maximum(block.annual_loss - paid, 0.0)
    return uncovered
