"""The technical price of a layer, from its simulated per-year losses (model.md section 6).

Everything here works on one numpy array: the layer's loss in each simulated year, after its
aggregate limit and any counterparty default (``layer_losses``), so it takes the years of any
loss model (optimizer.risk's scenarios, or the closed-form and simulated inputs of the tests).

- Expected layer loss E[P]; for l xs a under Poisson(lambda) frequency and no aggregate limit
  it is lambda (LEV(a + l) - LEV(a)) (limited expected values; domain/loss-and-pricing.md 3,
  closed forms in ``lev_lognormal`` and ``lev_pareto``).
- Standard deviation, the 1-in-200 annual loss VaR_0.995 and TVaR_0.995.
- A risk load by one of four methods (``RiskLoad``):
  standard deviation, E[P] + k sigma (Kreps, "Investment-equivalent reinsurance pricing",
  PCAS 1990); a distortion of the survival function, premium = integral of g(S(x)) dx, with
  Wang's transform g(s) = Phi(Phi^-1(s) + lambda) (Wang, "A class of distortion operators for
  pricing financial and insurance risks", JRI 2000) or the proportional hazard g(s) = s^(1/rho)
  (Wang, "Insurance pricing and increased limits ratemaking by proportional hazards
  transforms", IME 1995); or cost of capital r on capital a set at VaR or TVaR, premium =
  E[P] + d (a - E[P]) with d = r / (1 + r) (the constant cost of capital distortion, Mildenhall
  & Major, "Pricing Insurance Risk", Wiley 2022, section 10.4; aggregate's ``ccoc``).
- Grossed up for expenses: technical premium = risk premium / (1 - expense ratio); technical
  rate on line = technical premium / limit (domain/loss-and-pricing.md 3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

RETURN_LEVEL = 0.995
"""1 in 200 years."""


class LoadMethod(StrEnum):
    """How the risk load is set."""

    STD_DEV = "std_dev"
    WANG = "wang"
    PROPORTIONAL_HAZARD = "proportional_hazard"
    COST_OF_CAPITAL_VAR = "cost_of_capital_var"
    COST_OF_CAPITAL_TVAR = "cost_of_capital_tvar"


@dataclass(frozen=True)
class RiskLoad:
    """A risk load method and its parameter.

    ``parameter`` is k for std_dev (>= 0), lambda for wang (>= 0), rho for proportional_hazard
    (>= 1) and the annual cost of capital r for the cost-of-capital methods (>= 0).
    """

    method: LoadMethod
    parameter: float

    def __post_init__(self) -> None:
        low = 1.0 if self.method is LoadMethod.PROPORTIONAL_HAZARD else 0.0
        if not (math.isfinite(self.parameter) and self.parameter >= low):
            msg = f"risk load {self.method}: the parameter must be a number >= {low:g} (got {self.parameter})"
            raise ValueError(msg)


@dataclass(frozen=True)
class TechnicalPrice:
    """The insurer's figures for one layer."""

    limit: float
    expected_loss: float
    std_dev: float
    var_200: float
    """1-in-200 annual layer loss, VaR_0.995."""
    tvar_200: float
    """Mean of the worst 0.5% of years, TVaR_0.995."""
    risk_premium: float
    """Expected loss plus the risk load."""
    expense_ratio: float
    technical_premium: float
    """risk_premium / (1 - expense_ratio)."""
    years: int

    @property
    def risk_load(self) -> float:
        """Risk premium minus expected loss."""
        return self.risk_premium - self.expected_loss

    @property
    def rate_on_line(self) -> float:
        """Technical premium / limit."""
        return self.technical_premium / self.limit

    @property
    def expected_loss_rate(self) -> float:
        """Expected loss / limit (the pure rate on line)."""
        return self.expected_loss / self.limit


def layer_losses(
    year: npt.ArrayLike,
    loss: npt.ArrayLike,
    years: int,
    attachment: float,
    limit: float,
    aggregate_limit: float | None = None,
) -> FloatArray:
    """Per-year loss to a layer l xs a: min(sum_e clip(x_e - a, 0, l), aggregate limit).

    ``year[e]`` is the simulated year (0..years-1) of event e and ``loss[e]`` its size; years
    without events lose nothing (model.md section 4, insurance layer).
    """
    index = np.asarray(year, dtype=np.int64)
    per_event = np.clip(np.asarray(loss, dtype=float) - attachment, 0.0, limit)
    total = np.bincount(index, weights=per_event, minlength=years).astype(float)
    return total if aggregate_limit is None else np.minimum(total, aggregate_limit)


def with_default(losses: npt.ArrayLike, defaulted: npt.ArrayLike) -> FloatArray:
    """What the counterparty actually pays: nothing in the years it defaults (model.md section 4)."""
    return np.where(np.asarray(defaulted, dtype=bool), 0.0, np.asarray(losses, dtype=float))


def var(losses: npt.ArrayLike, level: float = RETURN_LEVEL) -> float:
    """Empirical VaR: the smallest loss x with (share of years losing <= x) >= level."""
    return float(np.quantile(np.asarray(losses, dtype=float), level, method="inverted_cdf"))


def tvar(losses: npt.ArrayLike, level: float = RETURN_LEVEL) -> float:
    """Mean of the worst (1 - level) of the years, the last one fractionally (model.md section 4)."""
    values = np.sort(np.asarray(losses, dtype=float))[::-1]
    tail = (1.0 - level) * values.size
    whole = int(math.floor(tail + 1e-12))
    total = values[:whole].sum()
    if tail > whole and whole < values.size:
        total += (tail - whole) * values[whole]
    return float(total / tail)


def distorted_mean(losses: npt.ArrayLike, distortion: RiskLoad) -> float:
    """The integral of g(S(x)) dx over the empirical distribution of the years (losses >= 0).

    With the years sorted x_(1) <= ... <= x_(n), the empirical survival function is
    S = (n - i + 1) / n on [x_(i-1), x_(i)) (x_(0) = 0), so the integral is
    sum_i (x_(i) - x_(i-1)) g((n - i + 1) / n). Only steps with x_(i) > x_(i-1) are evaluated:
    a high layer is untouched in most years.
    """
    values = np.sort(np.asarray(losses, dtype=float))
    n = values.size
    steps = np.diff(np.concatenate(([0.0], values)))
    moving = np.nonzero(steps > 0)[0]
    survival = (n - moving) / n  # i = moving + 1
    return float(np.sum(steps[moving] * distortion_g(survival, distortion)))


_NORMAL = NormalDist()
_cdf = np.frompyfunc(_NORMAL.cdf, 1, 1)
_inv_cdf = np.frompyfunc(_NORMAL.inv_cdf, 1, 1)


def distortion_g(s: FloatArray, load: RiskLoad) -> FloatArray:
    """The distortion g(s) of Wang's transform, Phi(Phi^-1(s) + lambda), or the proportional hazard s^(1/rho)."""
    s = np.asarray(s, dtype=float)
    if load.method is LoadMethod.WANG:
        inside = (s > 0) & (s < 1)
        out = np.where(s >= 1.0, 1.0, 0.0)
        if inside.any():
            shifted = np.asarray(_inv_cdf(s[inside]), dtype=float) + load.parameter
            out[inside] = np.asarray(_cdf(shifted), dtype=float)
        return out
    if load.method is LoadMethod.PROPORTIONAL_HAZARD:
        return np.power(s, 1.0 / load.parameter)
    msg = f"{load.method} is not a distortion of the survival function"
    raise ValueError(msg)


def risk_premium(losses: npt.ArrayLike, load: RiskLoad) -> float:
    """Expected loss plus the risk load, by the chosen method (see the module docstring)."""
    values = np.asarray(losses, dtype=float)
    mean = float(values.mean())
    if load.method is LoadMethod.STD_DEV:
        return mean + load.parameter * float(values.std(ddof=1) if values.size > 1 else 0.0)
    if load.method in (LoadMethod.WANG, LoadMethod.PROPORTIONAL_HAZARD):
        return distorted_mean(values, load)
    capital = var(values) if load.method is LoadMethod.COST_OF_CAPITAL_VAR else tvar(values)
    discount = load.parameter / (1.0 + load.parameter)
    return mean + discount * max(capital - mean, 0.0)


def technical_price(losses: npt.ArrayLike, limit: float, load: RiskLoad, expense_ratio: float = 0.0) -> TechnicalPrice:
    """The technical price of a layer of width ``limit`` from its per-year losses.

    Raises
    ------
    ValueError
        If there are no years, a loss is negative or not finite, the limit is not positive,
        or the expense ratio is not in [0, 1).
    """
    values = np.asarray(losses, dtype=float)
    if values.size == 0 or not np.all(np.isfinite(values)) or np.any(values < 0):
        msg = "layer losses must be one or more finite, non-negative amounts per year"
        raise ValueError(msg)
    if not limit > 0:
        msg = f"the layer's limit must be positive (got {limit})"
        raise ValueError(msg)
    if not 0.0 <= expense_ratio < 1.0:
        msg = f"expense_ratio must be in [0, 1) (got {expense_ratio}); 25% is 0.25"
        raise ValueError(msg)
    premium = risk_premium(values, load)
    return TechnicalPrice(
        limit=limit,
        expected_loss=float(values.mean()),
        std_dev=float(values.std(ddof=1)) if values.size > 1 else 0.0,
        var_200=var(values),
        tvar_200=tvar(values),
        risk_premium=premium,
        expense_ratio=expense_ratio,
        technical_premium=premium / (1.0 - expense_ratio),
        years=int(values.size),
    )


# --- closed forms: limited expected values, E[min(X, d)] ---------------------------------


def lev_lognormal(d: float, mu: float, sigma: float) -> float:
    """E[min(X, d)] for X lognormal(mu, sigma) (Klugman, Panjer & Willmot, Loss Models, App. A)."""
    if d <= 0:
        return 0.0
    log_d = math.log(d)
    mean = math.exp(mu + sigma**2 / 2)
    cdf = _NORMAL.cdf
    return mean * cdf((log_d - mu - sigma**2) / sigma) + d * (1.0 - cdf((log_d - mu) / sigma))


def lev_pareto(d: float, alpha: float, theta: float) -> float:
    """E[min(X, d)] for single-parameter Pareto X >= theta, S(x) = (theta / x)^alpha (Loss Models, App. A)."""
    if d <= theta:
        return max(d, 0.0)
    if alpha == 1.0:
        return theta + theta * math.log(d / theta)
    return float(theta + theta**alpha * (d ** (1 - alpha) - theta ** (1 - alpha)) / (1 - alpha))


def expected_layer_loss(frequency: float, lev_top: float, lev_bottom: float) -> float:
    """Expected annual loss to l xs a, no aggregate limit: lambda (LEV(a + l) - LEV(a))."""
    return frequency * (lev_top - lev_bottom)
