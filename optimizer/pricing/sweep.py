"""Demand for a product across a market, at each price (model.md section 6, "Market demand").

Each exchange is priced on its own (``price_exchange``): its case with the product added is
built and solved once, then re-solved warm at every price of the grid by changing the
product's cost on the live HiGHS model (optimizer/pricing/live.py); every mix is verified
without the LP. The insurer's figures per unit come from the product's loss model
(optimizer/pricing/exposure.py, technical.py). ``market_points`` adds the exchanges up, price
by price. A failure at one price of one exchange is recorded on that point, never raised.

At each price p (a rate on line):

- buyers: exchanges buying any of it; limit bought L(p) = sum of quantity x limit (or payout);
- premium income p x L(p); expected loss sum of quantity x E[annual payout per unit];
- expected loss ratio = expected loss / premium income;
- expected profit after the risk load = income x (1 - expense ratio) - sum of quantity x
  (expected loss + risk load) per unit. Risk loads are set exchange by exchange and added up,
  which ignores diversification across exchanges (a prudent simplification).
"""

from __future__ import annotations

from dataclasses import dataclass

from optimizer.case.errors import CaseError
from optimizer.case.schema import Case
from optimizer.coverage.pipeline import SolverError
from optimizer.pricing.case_layers import case_layer_losses
from optimizer.pricing.exposure import ExposureError, simulate_payouts
from optimizer.pricing.live import LiveModel, PricingError
from optimizer.pricing.product import Product, ProductKind
from optimizer.pricing.technical import technical_price
from optimizer.risk.loss_models import LossModelError
from optimizer.rules.requirement import requirement_basis

BOUGHT = 1e-7
"""A share or unit count above this counts as bought."""


@dataclass(frozen=True)
class ExchangeTask:
    """One exchange to price at every price of the grid."""

    case: Case
    product: Product
    prices: tuple[float, ...]


@dataclass(frozen=True)
class ExchangeResult:
    """What one exchange buys at each price, and what it costs the insurer per unit."""

    name: str
    requirement: float
    unit_money: float
    """Money per unit bought: the layer's limit, or one unit's payout."""
    quantities: tuple[float | None, ...]
    """Share or units bought at each price; None where that price failed."""
    errors: tuple[str | None, ...]
    expected_loss: float
    """Expected annual payout per unit, money."""
    risk_premium: float
    """Expected loss plus risk load per unit, money."""
    technical_premium: float
    """Risk premium grossed up for expenses, per unit, money."""
    error: str | None = None
    """Why the whole exchange failed (then every price failed)."""

    @property
    def technical_rate(self) -> float:
        """Technical premium / limit (rate on line)."""
        return self.technical_premium / self.unit_money if self.unit_money > 0 else 0.0


def price_exchange(task: ExchangeTask) -> ExchangeResult:
    """Price one exchange at every price of the task (warm re-solves; never raises for its input)."""
    product, prices = task.product, task.prices
    name = task.case.name
    try:
        if task.case.currency != product.currency:
            msg = f"the exchange's currency is {task.case.currency}, the product's {product.currency}"
            raise ValueError(msg)
        requirement = requirement_basis(task.case).amount
        case = product.offered_to(task.case, requirement, prices[0] if prices else 0.0)
        instrument = case.instrument("product")
        unit_money = instrument.limit if product.kind is ProductKind.INSURANCE else instrument.payout  # type: ignore[union-attr]
        if product.loss_model is None:  # the exchange's own years (issue #9), the product's terms
            payouts = case_layer_losses(case, "product")
        else:
            payouts = simulate_payouts(product, task.case, requirement)
        tech = technical_price(payouts, unit_money, product.risk_load.load(), product.expense_ratio)
        live = LiveModel(case)
    except (PricingError, ExposureError, SolverError, CaseError, ValueError, LossModelError) as error:
        failed = f"{name}: {error}"
        return ExchangeResult(name, 0.0, 0.0, (None,) * len(prices), (failed,) * len(prices), 0.0, 0.0, 0.0, failed)
    quantities: list[float | None] = []
    errors: list[str | None] = []
    for price in prices:
        try:
            quantity = live.probe("product", price).quantity
        except PricingError as error:
            quantities.append(None)
            errors.append(f"{name} at {price:.6g}: {error}")
            continue
        quantities.append(quantity if quantity > BOUGHT else 0.0)
        errors.append(None)
    return ExchangeResult(
        name=name,
        requirement=requirement,
        unit_money=unit_money,
        quantities=tuple(quantities),
        errors=tuple(errors),
        expected_loss=tech.expected_loss,
        risk_premium=tech.risk_premium,
        technical_premium=tech.technical_premium,
    )


def price_batch(tasks: list[ExchangeTask]) -> list[ExchangeResult]:
    """Several exchanges in one call (one dask task per batch keeps scheduling overhead low)."""
    return [price_exchange(task) for task in tasks]


@dataclass(frozen=True)
class MarketPoint:
    """The market at one price."""

    price: float
    buyers: int
    limit_bought: float
    premium_income: float
    expected_loss: float
    expected_loss_ratio: float | None
    """None when nothing is bought."""
    expected_profit: float
    """Income net of expenses minus expected loss and risk load, money a year."""
    within_capacity: bool
    failed: tuple[str, ...] = ()
    """Exchanges whose solve failed at this price (the point then undercounts demand)."""


def market_points(results: list[ExchangeResult], product: Product, prices: tuple[float, ...]) -> list[MarketPoint]:
    """Add the exchanges up at each price: market demand is the sum of the exchanges' demand."""
    points = []
    for index, price in enumerate(prices):
        buyers, limit, loss, loaded, failed = 0, 0.0, 0.0, 0.0, []
        for result in results:
            quantity = result.quantities[index]
            if quantity is None:
                failed.append(result.name)
                continue
            if quantity > 0:
                buyers += 1
                limit += quantity * result.unit_money
                loss += quantity * result.expected_loss
                loaded += quantity * result.risk_premium
        income = price * limit
        points.append(
            MarketPoint(
                price=price,
                buyers=buyers,
                limit_bought=limit,
                premium_income=income,
                expected_loss=loss,
                expected_loss_ratio=loss / income if income > 0 else None,
                expected_profit=income * (1.0 - product.expense_ratio) - loaded,
                within_capacity=product.capacity is None or limit <= product.capacity * (1 + 1e-12),
                failed=tuple(failed),
            )
        )
    return points


def best_point(points: list[MarketPoint]) -> MarketPoint | None:
    """The price of the grid with the largest expected profit, among complete points within capacity."""
    eligible = [point for point in points if point.within_capacity and not point.failed]
    return max(eligible, key=lambda point: (point.expected_profit, -point.price), default=None)


def market_technical_rate(results: list[ExchangeResult]) -> float | None:
    """Technical rate on line of the whole product across the market: sum of premiums / sum of limits."""
    priced = [result for result in results if result.error is None and result.unit_money > 0]
    total = sum(result.unit_money for result in priced)
    return sum(result.technical_premium for result in priced) / total if total > 0 else None
