"""Fit the default loss model to data/incidents.csv (data/loss-models/exchange-hacks.yaml).

Run ``python -m optimizer.risk.calibrate`` to print the fitted figures that the data file
records; tests/test_loss_models.py re-runs the fit and checks the file still matches it.

- Severity: maximum likelihood on the mid USD loss (low + high) / 2 of every incident.
  Lognormal: mu = mean(ln x), sigma = sd(ln x) (the MLE divides by n). Pareto type I above a
  threshold t: alpha = n_t / sum ln(x / t) (Hill's estimator, the MLE).
- Uncertainty: a seeded nonparametric bootstrap (resample the incidents with replacement,
  refit), 2.5% and 97.5% percentiles.
- Frequency: Japanese registered exchanges' incidents in the table over an assumed number of
  exchange-years; the interval is Garwood's exact Poisson interval (chi-square quantiles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optimizer.risk.incidents import load_incidents

BOOTSTRAP_RESAMPLES = 4000
BOOTSTRAP_SEED = 2026
PARETO_THRESHOLD_USD = 20_000_000.0
"""Hill's estimator is fitted above $20m: 31 of 37 incidents; below it the table is far from
complete (The Block: 20 of 42 hacks were under $1m, and few of those are in the table)."""

JAPAN_INCIDENTS = ("Coincheck", "Zaif (Tech Bureau)", "BITPoint Japan (Remixpoint)", "Liquid (Quoine)", "DMM Bitcoin")
"""Incidents at FSA-registered Japanese exchanges in 2018-2025 (Mt. Gox predates registration;
SBI Crypto is a mining pool)."""
JAPAN_EXCHANGE_YEARS = 28 * 8
"""28 registered operators (NRI on the FSA working group, Jan 2026) over the 8 years 2018-2025:
an assumption, since fewer were registered in 2018."""


@dataclass(frozen=True)
class Fit:
    """A point estimate and its 95% interval."""

    value: float
    low: float
    high: float


def mid_losses_usd() -> np.ndarray:
    """Mid USD loss of every incident in the table."""
    frame = load_incidents()
    mid = ((frame["loss_usd_low"] + frame["loss_usd_high"]) / 2).dropna()
    return np.asarray(mid.to_numpy(dtype=np.float64))


def lognormal_mle(losses: np.ndarray) -> tuple[float, float]:
    """(median, sigma) by maximum likelihood."""
    logs = np.log(losses)
    return float(math.exp(logs.mean())), float(logs.std(ddof=0))


def hill_alpha(losses: np.ndarray, threshold: float) -> float:
    """Pareto tail index above ``threshold`` by maximum likelihood (Hill)."""
    tail = losses[losses >= threshold]
    return float(tail.size / np.log(tail / threshold).sum())


def bootstrap(losses: np.ndarray) -> dict[str, Fit]:
    """Point estimates and 95% bootstrap percentile intervals of median, sigma and alpha."""
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    draws = losses[rng.integers(0, losses.size, (BOOTSTRAP_RESAMPLES, losses.size))]
    logs = np.log(draws)
    medians = np.exp(logs.mean(axis=1))
    sigmas = logs.std(axis=1, ddof=0)
    above = draws >= PARETO_THRESHOLD_USD
    sums = np.where(above, np.log(np.maximum(draws, PARETO_THRESHOLD_USD) / PARETO_THRESHOLD_USD), 0.0).sum(axis=1)
    alphas = above.sum(axis=1) / sums
    median, sigma = lognormal_mle(losses)

    def fit(value: float, sample: np.ndarray) -> Fit:
        low, high = np.percentile(sample, [2.5, 97.5])
        return Fit(value, float(low), float(high))

    return {
        "lognormal_median": fit(median, medians),
        "lognormal_sigma": fit(sigma, sigmas),
        "pareto_alpha": fit(hill_alpha(losses, PARETO_THRESHOLD_USD), alphas),
    }


def poisson_cdf(count: int, mean: float) -> float:
    """P(N <= count) for N ~ Poisson(mean)."""
    term = total = math.exp(-mean)
    for i in range(1, count + 1):
        term *= mean / i
        total += term
    return total


def _solve(target: float, count: int) -> float:
    # The mean at which P(N <= count) = target, by bisection (the cdf falls as the mean grows).
    low, high = 0.0, 10.0 * (count + 10)
    for _ in range(200):
        mid = (low + high) / 2
        low, high = (mid, high) if poisson_cdf(count, mid) > target else (low, mid)
    return (low + high) / 2


def poisson_interval(count: int, exposure: float) -> Fit:
    """Rate count / exposure with Garwood's exact 95% interval.

    The lower end is the mean at which P(N >= count) = 2.5%, the upper end the mean at which
    P(N <= count) = 2.5% (equivalently chi-square quantiles / 2).
    """
    low = _solve(0.975, count - 1) if count else 0.0
    high = _solve(0.025, count)
    return Fit(count / exposure, low / exposure, high / exposure)


def japan_frequency() -> Fit:
    """Incidents per exchange-year at Japanese registered exchanges, 2018-2025."""
    frame = load_incidents()
    years = frame["date"].dt.year
    hits = frame[(frame["country"] == "Japan") & years.between(2018, 2025) & frame["exchange"].isin(JAPAN_INCIDENTS)]
    return poisson_interval(len(hits), JAPAN_EXCHANGE_YEARS)


def main() -> None:
    """Print the fit."""
    losses = mid_losses_usd()
    print(f"{losses.size} incidents; mid USD loss from {losses.min():,.0f} to {losses.max():,.0f}")
    for name, fit in {**bootstrap(losses), "per_year": japan_frequency()}.items():
        print(f"{name}: {fit.value:.6g} (95% interval {fit.low:.6g} to {fit.high:.6g})")


if __name__ == "__main__":
    main()
