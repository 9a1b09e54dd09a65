"""The case file as pydantic models: the single definition of the interchange format.

The core fields and their meanings are fixed by ``design/case-format.md``; the models are
frozen, forbid unknown fields and document every field with its unit, so
``reserve-opt schema`` prints a self-describing JSON Schema.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict

from optimizer.case.currencies import iso_currency
from optimizer.case.fields import (
    Days,
    Fraction,
    MicaClass,
    Money,
    Number,
    PositiveFraction,
    PositiveMoney,
    PositiveNumber,
    Rate,
    Units,
)
from optimizer.case.plan_schema import Plan
from optimizer.case.scenarios_schema import AggregateLimit, PositiveCount, RiskLimits, ScenarioSettings


class Kind(StrEnum):
    """The four kinds of instrument the model knows (model.md section 1)."""

    CASH = "cash"
    GUARANTEE = "guarantee"
    INSURANCE = "insurance"
    PARAMETRIC = "parametric"


class Coverage(StrEnum):
    """How the requirement is tested (model.md section 2)."""

    LADDER = "ladder"
    FACE = "face"


class KrMarket(StrEnum):
    """Type of Korean exchange, which sets the VAUPA reserve floor (see data/regimes/kr-vaupa.yaml)."""

    KRW = "krw"
    """KRW-market exchange: clients trade against Korean won."""
    COIN = "coin"
    """Coin-market exchange, or a wallet or custody provider."""


CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(iso_currency)]
"""An ISO 4217 code in capitals (JPY, EUR): a real currency, not just three letters."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, validate_default=False)


class Requirement(_Model):
    """The requirement R: given directly as an amount, or computed by a regime rulebook."""

    amount: PositiveMoney | None = None
    """R given directly, in the case currency."""
    regime: str | None = None
    """Id of a rulebook in data/regimes/ that computes R from the exchange profile."""
    assumptions: dict[str, Number] | None = None
    """Overrides of the regime's named assumptions, by name, in the unit the rulebook states
    (fractions as fractions, amounts in the rulebook's currency); only with `regime`.
    `reserve-opt requirement CASE` lists the names, defaults and sources."""


class Exchange(_Model):
    """The exchange's profile, used by regime rules and loss scenarios (amounts in the case currency)."""

    trading_volume: Money | None = None
    """Annual traded value."""
    client_crypto_hot: Money | None = None
    """Client crypto-assets held online (hot wallets)."""
    client_crypto_cold: Money | None = None
    """Client crypto-assets held offline (cold wallets)."""
    client_fiat: Money | None = None
    """Client fiat money held."""
    fixed_overheads: Money | None = None
    """Fixed overheads of the previous year (MiCA Art. 67(3), VARA)."""
    client_crypto_other: Money | None = None
    """Client crypto-assets in storage that is neither hot nor cold (SFC VATP "other storage")."""
    mica_class: MicaClass | None = None
    """MiCA Annex IV class of the CASP's highest service: 1, 2 (custody, exchange) or 3 (trading platform)."""
    kr_market: KrMarket | None = None
    """Korean exchange type for VAUPA: `krw` (KRW market) or `coin` (coin market, wallet or custody provider)."""
    uses_licensed_custodian: Annotated[bool, Strict()] | None = None
    """True if client assets are held by a VARA-licensed custodian (lowers VARA's capital rule)."""


class _Instrument(_Model):
    id: Annotated[str, Field(min_length=1)]
    """Unique name of the instrument within the case."""
    description: str | None = None
    """Free text: who quoted it, when, on what terms."""


class _CoverInstrument(_Instrument):
    counterparty: Annotated[str, Field(min_length=1)]
    """Who pays: the bank, insurer, syndicate or dealer (caps apply per counterparty)."""
    credit: PositiveFraction = 1.0
    """Fraction of the cover the requirement recognises (1.0 = full credit)."""
    payout_days: Days | None = None
    """Days from a loss to money in hand (used by the liquidity constraint)."""


class Cash(_Instrument):
    """Reserve held in trust or deposits: credited in full, pays from the first yen."""

    kind: Literal[Kind.CASH]
    """Instrument kind."""
    cost_rate: Rate
    """Annual opportunity cost of holding the cash, net of its yield (fraction of the amount)."""
    max_amount: Money | None = None
    """The most cash that can be set aside; absent means unbounded."""
    counterparty: Annotated[str, Field(min_length=1)] | None = None
    """Bank or trust holding the cash, if counterparty caps should apply to it."""
    payout_days: Days = 0
    """Days from a loss to money in hand; cash is available at once."""

    @property
    def credit(self) -> float:
        """Cash is always credited in full."""
        return 1.0


class Guarantee(_CoverInstrument):
    """Bank guarantee, letter of credit, parent guarantee or escrow: pays from the first yen."""

    kind: Literal[Kind.GUARANTEE]
    """Instrument kind."""
    fee_rate: Rate
    """Annual fee as a fraction of the amount guaranteed."""
    max_amount: Money | None = None
    """The largest amount the guarantor will write; absent means unbounded."""


class Insurance(_CoverInstrument):
    """A quoted insurance layer paying clip(loss - attachment, 0, limit) per incident."""

    kind: Literal[Kind.INSURANCE]
    """Instrument kind."""
    attachment: Money
    """Single-incident loss above which the layer starts paying (the retention)."""
    limit: PositiveMoney
    """Width of the layer: the most it pays for one incident."""
    premium_rate: Rate
    """Annual premium as a fraction of the limit (rate on line), charged on share x limit."""
    max_share: PositiveFraction = 1.0
    """The largest share of the layer the counterparty offers."""
    min_share: PositiveFraction | None = None
    """If set, the insurer writes either nothing or at least this share (makes the model a MILP)."""
    all_or_nothing: bool = False
    """If true, the layer is bought at max_share or not at all (makes the model a MILP)."""
    aggregate_limit: AggregateLimit | None = None
    """The most the layer pays in a year at full share (loss scenarios only); absent means unlimited."""


class Parametric(_CoverInstrument):
    """Derivative-style cover paying `payout` per unit when one incident's loss reaches `trigger`."""

    kind: Literal[Kind.PARAMETRIC]
    """Instrument kind."""
    trigger: Money
    """Single-incident loss at which the cover pays."""
    payout: PositiveMoney
    """Amount paid per unit when triggered."""
    premium: Money
    """Annual premium per unit."""
    max_units: Units | None = None
    """The most units on offer; absent means unbounded."""
    integer_units: bool = False
    """If true, units are bought whole (makes the model a MILP)."""
    max_payouts_per_year: PositiveCount = 1
    """How many triggering incidents a year the cover pays for (loss scenarios only)."""


Instrument = Annotated[Cash | Guarantee | Insurance | Parametric, Field(discriminator="kind")]


class Liquidity(_Model):
    """Part of the requirement that must be payable within a number of days."""

    days: Days
    """Payout horizon in days; cash counts as 0 days."""
    min_fraction: Fraction
    """Fraction of R that instruments paying within `days` must cover (credited face)."""


class Constraints(_Model):
    """The exchange's own policy limits (model.md section 3); all optional."""

    min_cash_fraction: Fraction | None = None
    """Cash must be at least this fraction of R."""
    max_counterparty_fraction: PositiveFraction | None = None
    """Credited face from any one counterparty may be at most this fraction of R."""
    max_insurance_fraction: Fraction | None = None
    """Credited face of insurance and parametric cover may be at most this fraction of R."""
    liquidity: Liquidity | None = None
    """Minimum share of R payable within a number of days."""


class Case(_Model):
    """Everything one optimisation needs: who, which rule, what is on offer, and policy limits."""

    name: str
    """Free text name of the case."""
    description: str | None = None
    """Free text: purpose, author, date, what is illustrative."""
    currency: CurrencyCode
    """ISO 4217 code; every amount in the file is in this currency."""
    requirement: Requirement
    """Exactly one of `amount` and `regime`."""
    coverage: Coverage = Coverage.LADDER
    """`ladder` (default) tests every single-incident loss size; `face` sums credited face."""
    exchange: Exchange = Exchange()
    """Profile used by regime rules and loss scenarios."""
    instruments: Annotated[tuple[Instrument, ...], Field(min_length=1)]
    """The instruments on offer; ids must be unique."""
    constraints: Constraints = Constraints()
    """Policy limits; all optional."""
    fx: dict[CurrencyCode, PositiveNumber] | None = None
    """Exchange rates for rules stated in another currency: `EUR: 160.0` means 1 EUR = 160 units of
    the case currency. Required when the regime's currency differs from the case's."""
    scenarios: ScenarioSettings | None = None
    """Loss scenarios (model.md section 4): simulated years or a year-event table; optional."""
    risk: RiskLimits | None = None
    """The VaR / CVaR level and the risk limits a mix is reported against; optional."""
    plan: Plan | None = None
    """A multi-year transition plan (`reserve-opt plan`); one-year commands ignore it."""

    def instrument(self, instrument_id: str) -> Cash | Guarantee | Insurance | Parametric:
        """Return the instrument with this id."""
        for item in self.instruments:
            if item.id == instrument_id:
                return item
        msg = f"no instrument with id {instrument_id!r}"
        raise KeyError(msg)
