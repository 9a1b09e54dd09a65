"""Technical price of a layer (issue #11, item 2) against closed forms.

Simulated checks use a seeded generator and a tolerance of 4 standard errors of the simulated
mean (a false alarm about 1 time in 16,000). Distortion checks use a deterministic "sample":
the quantiles F^-1((i - 1/2) / n) of the distribution, whose only error is the tail cut off
beyond the last quantile; the tolerance states that error.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest

from optimizer.pricing.technical import (
    LoadMethod,
    RiskLoad,
    expected_layer_loss,
    layer_losses,
    lev_lognormal,
    lev_pareto,
    risk_premium,
    technical_price,
    tvar,
    var,
    with_default,
)

YEARS = 400_000


def _compound_poisson(rng, frequency, sample_severity):
    counts = rng.poisson(frequency, YEARS)
    year = np.repeat(np.arange(YEARS), counts)
    return year, sample_severity(year.size)


def _lev_by_quadrature(survival, d, points=400_001):
    # E[min(X, d)] = integral_0^d S(x) dx, by the trapezoid rule on a fine grid.
    x = np.linspace(0.0, d, points)
    return float(np.trapezoid(survival(x), x))


def test_lev_closed_forms_agree_with_quadrature():
    mu, sigma = 0.3, 1.2
    normal = NormalDist()
    lognormal_survival = np.vectorize(lambda x: 1.0 if x <= 0 else 1.0 - normal.cdf((math.log(x) - mu) / sigma))
    for d in (0.5, 2.0, 7.0):
        assert lev_lognormal(d, mu, sigma) == pytest.approx(_lev_by_quadrature(lognormal_survival, d), rel=1e-5)
    for alpha in (0.8, 1.0, 1.7):
        pareto_survival = lambda x, a=alpha: np.where(x < 2.0, 1.0, (2.0 / np.maximum(x, 2.0)) ** a)  # noqa: E731
        for d in (1.0, 3.0, 50.0):
            assert lev_pareto(d, alpha, 2.0) == pytest.approx(_lev_by_quadrature(pareto_survival, d), rel=1e-5)


@pytest.mark.parametrize(
    ("name", "attachment", "limit"),
    [("lognormal", 2.0, 3.0), ("pareto", 5.0, 10.0), ("lognormal", 0.0, 1.0), ("pareto", 0.0, 4.0)],
)
def test_expected_layer_loss_is_lambda_times_lev_difference(name, attachment, limit):
    rng = np.random.default_rng(20251)
    frequency = 1.5
    if name == "lognormal":
        mu, sigma = 0.0, 1.5
        year, loss = _compound_poisson(rng, frequency, lambda n: rng.lognormal(mu, sigma, n))
        expected = expected_layer_loss(
            frequency, lev_lognormal(attachment + limit, mu, sigma), lev_lognormal(attachment, mu, sigma)
        )
    else:
        alpha, theta = 1.1, 1.0  # a tail index near 1 (domain/loss-and-pricing.md section 1)
        year, loss = _compound_poisson(rng, frequency, lambda n: theta * (1 + rng.pareto(alpha, n)))
        expected = expected_layer_loss(
            frequency, lev_pareto(attachment + limit, alpha, theta), lev_pareto(attachment, alpha, theta)
        )
    losses = layer_losses(year, loss, YEARS, attachment, limit)
    price = technical_price(losses, limit, RiskLoad(LoadMethod.STD_DEV, 0.0))
    standard_error = price.std_dev / math.sqrt(YEARS)
    assert abs(price.expected_loss - expected) <= 4 * standard_error


def test_poisson_count_of_full_limit_losses():
    # Every event exhausts the layer, so the annual loss is limit x N, N ~ Poisson(lambda):
    # mean lambda l, standard deviation sqrt(lambda) l. Sample sd of 400k years: relative
    # error about 1 / sqrt(2 x 400k) x sqrt(kurtosis term) < 0.5%; 2% allowed.
    rng = np.random.default_rng(7)
    frequency, limit = 0.3, 10.0
    year, loss = _compound_poisson(rng, frequency, lambda n: np.full(n, 100.0))
    losses = layer_losses(year, loss, YEARS, 5.0, limit)
    price = technical_price(losses, limit, RiskLoad(LoadMethod.STD_DEV, 2.0))
    assert abs(price.expected_loss - frequency * limit) <= 4 * price.std_dev / math.sqrt(YEARS)
    assert price.std_dev == pytest.approx(math.sqrt(frequency) * limit, rel=0.02)
    assert price.risk_premium == pytest.approx(price.expected_loss + 2.0 * price.std_dev)


def test_aggregate_limit_and_default_by_hand():
    # Year 0: events 4 and 9 on 2 xs 3 pay 1 + 2 = 3, capped at an aggregate of 2.5.
    # Year 1: nothing. Year 2: an event of 3.5 pays 0.5, but the counterparty defaults.
    losses = layer_losses([0, 0, 2], [4.0, 9.0, 3.5], 3, attachment=3.0, limit=2.0, aggregate_limit=2.5)
    assert losses.tolist() == [2.5, 0.0, 0.5]
    assert with_default(losses, [False, False, True]).tolist() == [2.5, 0.0, 0.0]


def test_var_and_tvar_by_hand():
    values = np.arange(1, 1001, dtype=float)
    assert var(values) == 995.0
    assert tvar(values) == pytest.approx((996 + 997 + 998 + 999 + 1000) / 5)
    # 300 years: the worst 1.5 years, the second at half weight.
    values = np.arange(1, 301, dtype=float)
    assert tvar(values) == pytest.approx((300 + 0.5 * 299) / 1.5)


def _quantile_sample(inverse_cdf, n=200_000):
    return np.array([inverse_cdf((i - 0.5) / n) for i in range(1, n + 1)])


def test_wang_transform_of_a_lognormal_is_a_lognormal():
    # Wang (2000): the transform with lambda maps lognormal(mu, sigma) to lognormal(mu + lambda sigma, sigma).
    # The quantile sample misses the tail above the last quantile: under 0.5% here.
    mu, sigma, shift = 0.0, 0.5, 0.4
    normal = NormalDist()
    sample = _quantile_sample(lambda u: math.exp(mu + sigma * normal.inv_cdf(u)))
    expected = math.exp(mu + shift * sigma + sigma**2 / 2)
    assert risk_premium(sample, RiskLoad(LoadMethod.WANG, shift)) == pytest.approx(expected, rel=5e-3)
    assert risk_premium(sample, RiskLoad(LoadMethod.WANG, 0.0)) == pytest.approx(math.exp(sigma**2 / 2), rel=5e-3)


def test_proportional_hazard_of_exponential_and_pareto():
    # S(x)^(1/rho): exponential(theta) -> exponential(rho theta); Pareto(alpha) -> Pareto(alpha / rho).
    theta, rho = 2.0, 1.5
    sample = _quantile_sample(lambda u: -theta * math.log(1 - u))
    assert risk_premium(sample, RiskLoad(LoadMethod.PROPORTIONAL_HAZARD, rho)) == pytest.approx(rho * theta, rel=5e-3)
    alpha = 4.0
    sample = _quantile_sample(lambda u: (1 - u) ** (-1 / alpha))
    transformed = alpha / rho
    expected = transformed / (transformed - 1)
    assert risk_premium(sample, RiskLoad(LoadMethod.PROPORTIONAL_HAZARD, rho)) == pytest.approx(expected, rel=5e-3)


def test_cost_of_capital_and_expenses():
    values = np.arange(1, 1001, dtype=float)  # mean 500.5, VaR 995, TVaR 998
    rate = 0.1
    discount = rate / (1 + rate)
    on_var = technical_price(values, 2000.0, RiskLoad(LoadMethod.COST_OF_CAPITAL_VAR, rate), expense_ratio=0.2)
    assert on_var.risk_premium == pytest.approx(500.5 + discount * (995 - 500.5))
    assert on_var.technical_premium == pytest.approx(on_var.risk_premium / 0.8)
    assert on_var.rate_on_line == pytest.approx(on_var.technical_premium / 2000.0)
    on_tvar = risk_premium(values, RiskLoad(LoadMethod.COST_OF_CAPITAL_TVAR, rate))
    assert on_tvar == pytest.approx(500.5 + discount * (998 - 500.5))


def test_bad_inputs_are_refused_with_the_rule():
    with pytest.raises(ValueError, match=r"proportional_hazard: the parameter must be a number >= 1 \(got 0.5\)"):
        RiskLoad(LoadMethod.PROPORTIONAL_HAZARD, 0.5)
    with pytest.raises(ValueError, match=r"expense_ratio must be in \[0, 1\) \(got 1.0\)"):
        technical_price([1.0], 1.0, RiskLoad(LoadMethod.WANG, 0.1), expense_ratio=1.0)
    with pytest.raises(ValueError, match="non-negative"):
        technical_price([-1.0], 1.0, RiskLoad(LoadMethod.WANG, 0.1))
