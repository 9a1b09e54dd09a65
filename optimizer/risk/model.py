"""The frequency / severity model of one exchange's incidents, in the case currency.

``LossSpec`` is what the simulation needs, fully resolved: the Poisson mean, the severity
distribution with its parameters, and the attack vectors (share of incidents, cap from the
assets each exposes). ``Severity.lev`` gives limited expected values in closed form, the
insurer's tool for a layer's expected loss: lambda * (LEV(a + l) - LEV(a))
(loss-and-pricing.md section 3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from optimizer.risk.scenarios import FloatArray


def normal_cdf(z: float) -> float:
    """Standard normal distribution function Phi(z)."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@dataclass(frozen=True)
class Severity:
    """One incident's loss before any cap: lognormal, Pareto (type I) or an empirical sample."""

    distribution: str
    """lognormal, pareto or incidents."""
    median: float = math.nan
    sigma: float = math.nan
    minimum: float = math.nan
    alpha: float = math.nan
    sample: FloatArray = field(default_factory=lambda: np.zeros(0))
    """incidents: the losses resampled with replacement (case currency)."""

    def draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        """``size`` independent losses."""
        if self.distribution == "lognormal":
            return self.median * np.exp(self.sigma * rng.standard_normal(size))
        if self.distribution == "pareto":
            # Inverse transform: X = minimum * U^(-1/alpha) with U uniform on (0, 1].
            return self.minimum * (1.0 - rng.random(size)) ** (-1.0 / self.alpha)
        picked: FloatArray = self.sample[rng.integers(0, self.sample.size, size)]
        return picked

    def lev(self, limit: float) -> float:
        """Limited expected value E[min(X, limit)] (closed form; the sample mean for incidents).

        Lognormal: E[min(X, d)] = exp(mu + sigma^2/2) Phi((ln d - mu - sigma^2)/sigma)
        + d (1 - Phi((ln d - mu)/sigma)), mu = ln(median) (Klugman, Panjer & Willmot,
        Loss Models, appendix A). Pareto type I: d for d <= minimum, else
        minimum + minimum^alpha (d^(1-alpha) - minimum^(1-alpha)) / (1 - alpha), and
        minimum (1 + ln(d / minimum)) when alpha = 1 (the integral of the survival function).
        """
        if limit <= 0:
            return 0.0
        if self.distribution == "lognormal":
            mu, s = math.log(self.median), self.sigma
            z = (math.log(limit) - mu) / s
            return math.exp(mu + s * s / 2) * normal_cdf(z - s) + limit * (1 - normal_cdf(z))
        if self.distribution == "pareto":
            xm, a = self.minimum, self.alpha
            if limit <= xm:
                return limit
            if a == 1:
                return xm * (1 + math.log(limit / xm))
            return float(xm + xm**a * (limit ** (1 - a) - xm ** (1 - a)) / (1 - a))
        return float(np.mean(np.minimum(self.sample, limit)))

    def describe(self, money: str = "") -> str:
        """The distribution and its parameters, in words."""
        if self.distribution == "lognormal":
            return f"lognormal, median {self.median:,.0f}{money}, sigma {self.sigma:g}"
        if self.distribution == "pareto":
            return f"Pareto, minimum {self.minimum:,.0f}{money}, alpha {self.alpha:g}"
        return f"resampled from {self.sample.size} incidents of data/incidents.csv"


@dataclass(frozen=True)
class LossSpec:
    """Everything the simulation needs, resolved from the case and the loss model."""

    per_year: float
    """Poisson mean number of incidents a year."""
    severity: Severity
    vector_names: tuple[str, ...]
    """Attack vectors; a single ``all`` when the case gives none."""
    shares: FloatArray
    """(V,) share of incidents taking each vector; sums to 1."""
    caps: FloatArray
    """(V,) most one incident by each vector can take (inf: no cap)."""
    notes: tuple[str, ...] = ()
    """Where each figure comes from (case, loss model, fx), for the report."""

    def layer_expected_loss(self, attachment: float, limit: float) -> float:
        """Expected annual loss of a layer ``limit`` xs ``attachment`` with no aggregate limit.

        lambda * sum_v share_v * (LEV_v(a + l) - LEV_v(a)), where LEV_v is the limited expected
        value of the severity capped at the vector's cap: E[min(X, c, d)] = LEV(min(c, d)).
        """
        total = 0.0
        for share, cap in zip(self.shares, self.caps, strict=True):
            top, bottom = min(attachment + limit, cap), min(attachment, cap)
            total += float(share) * (self.severity.lev(top) - self.severity.lev(bottom))
        return self.per_year * total
