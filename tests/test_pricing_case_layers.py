"""The technical price wired to a case's own loss scenarios (issue #9's Scenarios)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optimizer import load_case
from optimizer.pricing.case_layers import NoScenariosError, case_layer_losses, case_technical_price
from optimizer.pricing.technical import LoadMethod, RiskLoad, expected_layer_loss, lev_lognormal
from optimizer.risk.scenarios import Scenarios

CASE = "data/examples/jp-midsize-risk.yaml"


def _scenarios(rng, years, frequency, mu, sigma):
    counts = rng.poisson(frequency, years)
    loss_years = np.nonzero(counts)[0]
    per_year = counts[loss_years]
    incident_loss = rng.lognormal(mu, sigma, int(per_year.sum()))
    offsets = np.concatenate(([0], np.cumsum(per_year)))
    annual = np.add.reduceat(incident_loss, offsets[:-1])
    return Scenarios(years, loss_years + 1, offsets, incident_loss, annual, "test", 1)


def test_layer_losses_over_scenarios_meet_the_closed_form():
    # Compound Poisson lognormal years built as the risk module's Scenarios: the layer's mean
    # annual loss is lambda (LEV(a + l) - LEV(a)) within 4 standard errors.
    case = load_case(CASE)
    layer = case.instrument("xl-2").model_copy(update={"aggregate_limit": None})  # 3bn xs 3bn, no annual cap
    case = case.model_copy(update={"instruments": (layer,)})
    mu, sigma, frequency, years = math.log(1.5e9), 1.2, 0.4, 300_000
    scenarios = _scenarios(np.random.default_rng(5), years, frequency, mu, sigma)
    losses = case_layer_losses(case, "xl-2", scenarios=scenarios)
    assert losses.shape == (years,)
    expected = expected_layer_loss(
        frequency,
        lev_lognormal(layer.attachment + layer.limit, mu, sigma),
        lev_lognormal(layer.attachment, mu, sigma),
    )
    assert abs(losses.mean() - expected) <= 4 * losses.std() / math.sqrt(years)


def test_the_last_year_and_defaults_are_placed_right():
    case = load_case(CASE)
    # Two loss years: year 1 (one incident of 4bn) and the last year S (one of 10bn).
    scenarios = Scenarios(5, np.array([1, 5]), np.array([0, 1, 2]), np.array([4e9, 10e9]), np.array([4e9, 10e9]))
    losses = case_layer_losses(case, "xl-2", scenarios=scenarios)  # 3bn xs 3bn
    assert losses.tolist() == [1e9, 0.0, 0.0, 0.0, 3e9]


def test_a_case_layer_has_a_technical_price_from_its_own_scenarios():
    case = load_case(CASE)
    price = case_technical_price(case, "xl-2", RiskLoad(LoadMethod.WANG, 0.25), expense_ratio=0.25)
    assert price.years == case.scenarios.years
    assert 0 < price.expected_loss < price.risk_premium < price.technical_premium
    buyer = case_technical_price(case, "xl-2", RiskLoad(LoadMethod.WANG, 0.25), 0.25, with_defaults=True)
    assert buyer.expected_loss <= price.expected_loss  # defaults only take payouts away
    with pytest.raises(NoScenariosError, match="has no scenarios section"):
        case_layer_losses(load_case("data/examples/jp-midsize.yaml"), "xl-2")
