"""The technical price of a case's own layer over the case's loss scenarios (issue #9's years).

The case's ``scenarios`` section gives S years (simulated or from an events table); the payout
matrix (optimizer/risk/payouts.py) gives what one unit of the instrument pays in each loss year,
with its aggregate limit, ``max_payouts_per_year`` and the counterparty's default draws; the
other years pay nothing. That per-year array is what optimizer/pricing/technical.py prices.

``with_defaults``: the buyer's view (what the counterparty actually pays, model.md section 4)
includes its defaults; the insurer pricing its own layer leaves them out, since its own default
does not lower the losses it is liable for.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from optimizer.case.schema import Case, Insurance, Parametric
from optimizer.case.terms import unit_amount
from optimizer.pricing.technical import FloatArray, RiskLoad, TechnicalPrice, technical_price
from optimizer.risk.build import case_scenarios, settings_of
from optimizer.risk.defaults import draw_defaults
from optimizer.risk.payouts import payout_matrix
from optimizer.risk.scenarios import Scenarios


class NoScenariosError(ValueError):
    """The case has no loss scenarios to price from."""


def case_layer_losses(
    case: Case,
    instrument_id: str,
    base_dir: Path | None = None,
    *,
    with_defaults: bool = False,
    scenarios: Scenarios | None = None,
) -> FloatArray:
    """Per-year payout of one unit of the instrument (a full layer, one unit), all S years.

    Raises
    ------
    NoScenariosError
        If the case has no ``scenarios`` section and none are given.
    KeyError
        If the case has no such instrument.
    """
    item = case.instrument(instrument_id)
    if scenarios is None:
        if case.scenarios is None:
            msg = f"{case.name} has no scenarios section: add one (years, loss_model) to price from its losses"
            raise NoScenariosError(msg)
        scenarios, _ = case_scenarios(case, base_dir)
    only = case.model_copy(update={"instruments": (item,)})
    defaults = None
    if with_defaults:
        settings = settings_of(case)
        seed = scenarios.seed if scenarios.seed is not None else settings.seed
        defaults = draw_defaults(scenarios, settings.default_probability or {}, seed)
    column = payout_matrix(scenarios, only, defaults)[:, 0]
    years = np.zeros(scenarios.years, dtype=np.float64)
    years[scenarios.year - 1] = column  # year numbers are 1-based (optimizer/risk/scenarios.py)
    return years


def case_technical_price(
    case: Case,
    instrument_id: str,
    load: RiskLoad,
    expense_ratio: float = 0.0,
    base_dir: Path | None = None,
    *,
    with_defaults: bool = False,
    scenarios: Scenarios | None = None,
) -> TechnicalPrice:
    """The technical price of one of the case's layers (or parametric covers), whole limit."""
    item = case.instrument(instrument_id)
    if not isinstance(item, Insurance | Parametric):
        msg = f"{instrument_id} is a {item.kind}: only layers and parametric cover have a technical price"
        raise ValueError(msg)
    losses = case_layer_losses(case, instrument_id, base_dir, with_defaults=with_defaults, scenarios=scenarios)
    return technical_price(losses, unit_amount(item), load, expense_ratio)
