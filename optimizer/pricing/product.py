"""The product file: a layer or parametric cover an insurer offers across a market.

Attachment, limit, trigger and payout are money, or fractions of each exchange's requirement R
(``{of_requirement: 0.5}``), so one product sizes itself to every exchange. The insurer's
side (its loss model, risk load, expense ratio and capacity) travels with the product.
The format is documented in data/markets/README.md ("Product files"); an example is
data/markets/products/jp-excess-25xs50.yaml.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from optimizer.case.fields import Fraction, Money, PositiveFraction, PositiveMoney, Rate
from optimizer.case.schema import Case, Insurance, Kind, Parametric
from optimizer.pricing.technical import LoadMethod, RiskLoad


class ProductError(ValueError):
    """A product file that cannot be used; the message names the field, the rule and the fix."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class OfRequirement(_Model):
    """An amount stated as a fraction of each exchange's requirement R."""

    of_requirement: Annotated[float, Field(ge=0, le=100)]
    """The fraction of R: 0.5 is half of R."""


Amount = Money | OfRequirement
"""Money in the product's currency, or a fraction of each exchange's R."""


class ProductKind(StrEnum):
    """What is offered."""

    INSURANCE = "insurance"
    PARAMETRIC = "parametric"


class Distribution(StrEnum):
    """Single-incident severity distributions of the product's loss model."""

    PARETO = "pareto"
    LOGNORMAL = "lognormal"


class Severity(_Model):
    """Size of one incident, scaled to each exchange's client crypto (hot + cold)."""

    distribution: Distribution
    """`pareto` (single-parameter, S(x) = (theta / x)^alpha) or `lognormal`."""
    alpha: Annotated[float, Field(gt=0)] | None = None
    """Pareto tail index (pareto only); near 1 for exchange hacks (domain notes, section 1)."""
    scale_of_client_crypto: Annotated[float, Field(gt=0, le=1)] | None = None
    """Pareto: the smallest incident theta, as a fraction of the exchange's client crypto."""
    median_of_client_crypto: Annotated[float, Field(gt=0, le=1)] | None = None
    """Lognormal: the median incident, as a fraction of the exchange's client crypto."""
    sigma: Annotated[float, Field(gt=0)] | None = None
    """Lognormal: the standard deviation of log-loss."""


class LossModel(_Model):
    """The insurer's loss model for one exchange-year: Poisson incidents, capped severities."""

    frequency: Annotated[float, Field(ge=0, le=10)]
    """Incidents per exchange-year (an assumption: no per-exchange rate is published)."""
    severity: Severity
    """Size of one incident."""
    years: Annotated[int, Field(ge=100, le=1_000_000)] = 20_000
    """Simulated years per exchange."""
    seed: int = 11
    """Seed; each exchange's years are drawn from (seed, exchange name), so results do not
    depend on the order or the machine the exchanges are priced on."""


class RiskLoadSpec(_Model):
    """The risk load the insurer charges (optimizer/pricing/technical.py)."""

    method: LoadMethod
    """std_dev, wang, proportional_hazard, cost_of_capital_var or cost_of_capital_tvar."""
    parameter: Annotated[float, Field(ge=0)]
    """k (std_dev), lambda (wang), rho >= 1 (proportional_hazard), or the annual cost of capital r."""

    def load(self) -> RiskLoad:
        """As the technical module's RiskLoad."""
        return RiskLoad(self.method, self.parameter)


class PriceGrid(_Model):
    """Prices to try, as a rate on line (premium / limit, or premium per unit / payout)."""

    low: Rate
    high: Rate
    step: Annotated[float, Field(gt=0, le=1)]


class Product(_Model):
    """A layer or parametric cover offered to every exchange of a market."""

    name: str
    """Free text name."""
    kind: ProductKind = ProductKind.INSURANCE
    """`insurance` (a layer) or `parametric`."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    """Currency of money amounts; every exchange of the market must use it."""
    attachment: Amount | None = None
    """Layer: where it starts paying, per incident (money, or {of_requirement: f})."""
    limit: Amount | None = None
    """Layer: its width (money, or {of_requirement: f})."""
    trigger: Amount | None = None
    """Parametric: the single-incident loss at which it pays."""
    payout: Amount | None = None
    """Parametric: what one unit pays."""
    max_units: Annotated[float, Field(gt=0)] = 1.0
    """Parametric: the most units one exchange may buy."""
    counterparty: Annotated[str, Field(min_length=1)] = "the insurer"
    """The insurer's name (counterparty caps apply to it)."""
    credit: PositiveFraction = 1.0
    """Credit the exchange's rule gives the cover (times the regime's own factor)."""
    payout_days: Annotated[int, Field(ge=0, le=3650)] = 60
    """Days from a loss to money in hand."""
    max_share: PositiveFraction = 1.0
    """Layer: the largest share one exchange may buy."""
    aggregate_limit: Amount | None = None
    """Layer: the most it pays in one year (money, or {of_requirement: f}); absent: no annual cap."""
    capacity: PositiveMoney | None = None
    """The most limit (money) the insurer will write across the market; prices at which the
    market would buy more are reported but not chosen as the best."""
    prices: PriceGrid | None = None
    """Default price grid (the command's --prices overrides it)."""
    loss_model: LossModel | None = None
    """The insurer's loss model; absent: each exchange's own loss scenarios (its case's
    `scenarios` section), and an exchange without one is reported as failed."""
    risk_load: RiskLoadSpec
    """The insurer's risk load."""
    expense_ratio: Annotated[Fraction, Field(lt=1)] = 0.0
    """Expenses and commission as a share of premium."""

    def amount(self, value: Amount | None, requirement: float) -> float:
        """Money for one exchange: a fraction of its R, or the amount itself."""
        if value is None:
            return 0.0
        return value.of_requirement * requirement if isinstance(value, OfRequirement) else float(value)

    def instrument(self, requirement: float, price: float) -> Insurance | Parametric:
        """The product as one exchange's instrument (id ``product``) at a rate on line ``price``."""
        if self.kind is ProductKind.INSURANCE:
            return Insurance(
                id="product",
                kind=Kind.INSURANCE,
                counterparty=self.counterparty,
                credit=self.credit,
                payout_days=self.payout_days,
                attachment=self.amount(self.attachment, requirement),
                limit=self.amount(self.limit, requirement),
                premium_rate=price,
                max_share=self.max_share,
            )
        payout = self.amount(self.payout, requirement)
        return Parametric(
            id="product",
            kind=Kind.PARAMETRIC,
            counterparty=self.counterparty,
            credit=self.credit,
            payout_days=self.payout_days,
            trigger=self.amount(self.trigger, requirement),
            payout=payout,
            premium=price * payout,
            max_units=self.max_units,
        )

    def offered_to(self, case: Case, requirement: float, price: float) -> Case:
        """``case`` with the product added at ``price``."""
        return case.model_copy(update={"instruments": (*case.instruments, self.instrument(requirement, price))})


def _check_terms(product: Product) -> list[str]:
    problems = []
    needed: tuple[tuple[str, Any], ...]
    if product.kind is ProductKind.INSURANCE:
        needed = (("attachment", product.attachment), ("limit", product.limit))
    else:
        needed = (("trigger", product.trigger), ("payout", product.payout))
    for name, value in needed:
        if value is None:
            problems.append(f"{name} is required for a {product.kind} product; give money or {{of_requirement: 0.5}}")
    for name in ("limit", "payout"):
        value = getattr(product, name)
        if value is not None and product.amount(value, 1.0) <= 0:
            problems.append(f"{name} must be positive (got {value}); it is the most the cover pays")
    if product.loss_model is None:
        return problems
    severity = product.loss_model.severity
    if severity.distribution is Distribution.PARETO and (
        severity.alpha is None or severity.scale_of_client_crypto is None
    ):
        problems.append("loss_model.severity: a pareto severity needs alpha and scale_of_client_crypto")
    if severity.distribution is Distribution.LOGNORMAL and (
        severity.median_of_client_crypto is None or severity.sigma is None
    ):
        problems.append("loss_model.severity: a lognormal severity needs median_of_client_crypto and sigma")
    if product.risk_load.method is LoadMethod.PROPORTIONAL_HAZARD and product.risk_load.parameter < 1:
        problems.append(f"risk_load.parameter must be >= 1 for proportional_hazard (got {product.risk_load.parameter})")
    if product.prices is not None and product.prices.high < product.prices.low:
        problems.append(f"prices.high ({product.prices.high}) must be at least prices.low ({product.prices.low})")
    return problems


def product_from_data(data: Any, source: str = "the product") -> Product:
    """Validate raw product data; every problem is reported at once.

    Raises
    ------
    ProductError
        Naming each field path, the rule, the value received and the fix.
    """
    if not isinstance(data, dict):
        msg = f"{source}: a product must be a mapping with name, currency, terms, loss_model and risk_load"
        raise ProductError(msg)
    try:
        product = Product.model_validate(data)
    except ValidationError as error:
        lines = []
        for item in error.errors():
            path = ".".join(str(part) for part in item["loc"] if not str(part).startswith(("function-", "float")))
            lines.append(f"  - {path}: {item['msg']} (got {item.get('input')!r})")
        msg = f"{source} has {len(lines)} problem(s):\n" + "\n".join(lines)
        raise ProductError(msg) from None
    problems = _check_terms(product)
    if problems:
        msg = f"{source} has {len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems)
        raise ProductError(msg)
    return product


def load_product(path: str | Path) -> Product:
    """Read and check a product file (YAML or JSON)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        msg = f"cannot read the product file {path}: {error.strerror}"
        raise ProductError(msg) from None
    except yaml.YAMLError as error:
        msg = f"{path} is not valid YAML: {error}"
        raise ProductError(msg) from None
    return product_from_data(data, str(path))
