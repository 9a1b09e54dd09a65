"""The insurer's simulated years for one exchange: what the product pays, per unit bought.

Poisson(frequency) incidents a year; each incident's size from the product's severity,
scaled to the exchange's client crypto (hot + cold) and capped at it (the assets exposed,
model.md section 4). A layer pays min(sum of clip(x - a, 0, l), aggregate limit) a year per
unit share (optimizer/pricing/technical.py ``layer_losses``); parametric cover pays its payout
per unit for every incident at or above its trigger.

This is the insurer's own loss model carried by the product file. When the case-level loss
scenarios of issue #9 (optimizer/risk) are on main, an exchange's own scenarios can take its
place: everything downstream works on the per-year array alone.
"""

from __future__ import annotations

import zlib

import numpy as np

from optimizer.case.schema import Case
from optimizer.pricing.product import Distribution, Product, ProductKind
from optimizer.pricing.technical import FloatArray, layer_losses


class ExposureError(ValueError):
    """The exchange's profile lacks what the product's loss model needs."""


def client_crypto(case: Case) -> float:
    """Client crypto held, hot plus cold (money)."""
    return (case.exchange.client_crypto_hot or 0.0) + (case.exchange.client_crypto_cold or 0.0)


def simulate_payouts(product: Product, case: Case, requirement: float) -> FloatArray:
    """Per-year payout of one unit of the product (a full layer, or one parametric unit), money.

    Raises
    ------
    ExposureError
        If the exchange states no client crypto (the severities are scaled to it).
    """
    exposed = client_crypto(case)
    if exposed <= 0:
        msg = (
            f"{case.name}: exchange.client_crypto_hot/cold are needed to scale the product's loss model "
            "(got nothing); add them to the profile"
        )
        raise ExposureError(msg)
    model = product.loss_model
    if model is None:
        msg = "the product has no loss_model; use the exchange's own scenarios (optimizer/pricing/case_layers.py)"
        raise ExposureError(msg)
    # A seed per exchange from its name: the same years wherever and in whatever order it runs.
    rng = np.random.default_rng([model.seed, zlib.crc32(case.name.encode("utf-8"))])
    counts = rng.poisson(model.frequency, model.years)
    year = np.repeat(np.arange(model.years), counts)
    severity = model.severity
    if severity.distribution is Distribution.PARETO:
        assert severity.alpha is not None and severity.scale_of_client_crypto is not None  # product checks
        theta = severity.scale_of_client_crypto * exposed
        loss = theta * (1.0 + rng.pareto(severity.alpha, year.size))  # numpy's pareto is Lomax
    else:
        assert severity.median_of_client_crypto is not None and severity.sigma is not None
        loss = rng.lognormal(np.log(severity.median_of_client_crypto * exposed), severity.sigma, year.size)
    loss = np.minimum(loss, exposed)
    if product.kind is ProductKind.INSURANCE:
        aggregate = None if product.aggregate_limit is None else product.amount(product.aggregate_limit, requirement)
        return layer_losses(
            year,
            loss,
            model.years,
            product.amount(product.attachment, requirement),
            product.amount(product.limit, requirement),
            aggregate,
        )
    hits = (loss >= product.amount(product.trigger, requirement)).astype(float)
    counted = np.bincount(year, weights=hits, minlength=model.years).astype(np.float64)
    return counted * product.amount(product.payout, requirement)
