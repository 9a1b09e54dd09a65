"""Tail measures over S years: VaR, CVaR (Rockafellar-Uryasev, exact) and return periods.

The values are held sorted, largest first; the years not held (zero-loss years) count as
zeros, so u_(i) is the i-th largest of S values. With k = (1 - alpha) S (exact rational
arithmetic on the decimal level), j = floor(k):

- VaR_alpha = u_(j+1): the smallest u with P(U <= u) >= alpha;
- CVaR_alpha = min_eta eta + (1/k) sum_s max(0, U_s - eta)  (model.md section 4)
  = (u_(1) + ... + u_(j) + (k - j) u_(j+1)) / k: the mean of the k largest, the (j+1)-th
  entering with its fractional weight;
- the T-year return-period value is VaR at alpha = 1 - 1/T, i.e. k = S / T.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from optimizer.risk.scenarios import FloatArray

RETURN_PERIODS: tuple[int, ...] = (2, 5, 10, 25, 50, 100, 200, 250, 500, 1000)
"""Return periods of the exceedance table, in years (issue #9)."""


def level_fraction(level: float) -> Fraction:
    """The level as the exact decimal the user wrote (0.99 -> 99/100, not the nearest binary)."""
    return Fraction(repr(float(level)))


class SortedLosses:
    """S annual values (given sparsely), sorted for exact tail measures."""

    def __init__(self, values: FloatArray, years: int) -> None:
        """Hold ``values`` (the non-zero part, any order) of ``years`` values in all."""
        if values.size > years:
            msg = f"{values.size} values for {years} years"
            raise ValueError(msg)
        self.years = years
        self.descending = np.sort(values)[::-1]
        self.cumulative = np.cumsum(self.descending)

    def order_statistic(self, rank: int) -> float:
        """u_(rank), the rank-th largest (1-based); zero past the values held."""
        if rank <= self.descending.size:
            return float(self.descending[rank - 1])
        return 0.0

    def top_sum(self, count: int) -> float:
        """u_(1) + ... + u_(count)."""
        count = min(count, self.descending.size)
        return float(self.cumulative[count - 1]) if count > 0 else 0.0

    def mean(self) -> float:
        """Mean over all S years."""
        return self.top_sum(self.descending.size) / self.years

    def tail(self, k: Fraction) -> tuple[float, float]:
        """(VaR, CVaR) for a tail of k = (1 - alpha) S years (k > 0)."""
        j = int(k)  # floor, k >= 0
        var = self.order_statistic(j + 1) if j < self.years else 0.0
        cvar = (self.top_sum(j) + float(k - j) * var) / float(k)
        return var, cvar

    def var_cvar(self, level: float) -> tuple[float, float]:
        """(VaR, CVaR) at ``level``."""
        return self.tail((1 - level_fraction(level)) * self.years)

    def return_period(self, period: int) -> float:
        """The value exceeded on average once in ``period`` years: VaR at 1 - 1/period."""
        var, _ = self.tail(Fraction(self.years, period))
        return var

    def exceedance_probability(self, threshold: float) -> float:
        """P(value > threshold) over the S years."""
        count = int(np.searchsorted(-self.descending, -threshold, side="left"))
        return count / self.years


def exceedance_curve(losses: SortedLosses, points: int = 200) -> tuple[FloatArray, FloatArray]:
    """(return period in years, value) at up to ``points`` ranks spaced evenly on a log scale.

    The rank-r value is exceeded in r - 1 of S years, so its empirical return period is S / r.
    """
    held = losses.descending.size
    if held == 0:
        return np.zeros(0), np.zeros(0)
    ranks = np.unique(np.geomspace(1, held, num=min(points, held)).astype(np.int64))
    return losses.years / ranks.astype(np.float64), losses.descending[ranks - 1]
