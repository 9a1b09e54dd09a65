"""Historical stress: replay every incident of data/incidents.csv against this exchange.

Each incident is one year with that single loss, in the case currency: the loss as reported in
that currency where data/loss-models/native-losses.csv has it (Coincheck ¥58bn, DMM ¥48.2bn),
otherwise the mid USD loss (low + high) / 2 times the USD rate. It is capped by the most one
incident can take at this exchange (the scenarios' largest cap). Counterparties are assumed to
pay (no default draws): the replay asks what the terms pay, not who fails.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optimizer.case.schema import Case
from optimizer.risk.build import UsdRate
from optimizer.risk.evaluate import pay_years
from optimizer.risk.incidents import load_incidents
from optimizer.risk.loss_models import native_losses
from optimizer.risk.payouts import Terms
from optimizer.risk.scenarios import FloatArray, scenarios_from_events


@dataclass(frozen=True)
class StressRow:
    """One historical incident replayed against the mix."""

    date: str
    exchange: str
    loss: float
    """The loss replayed, in the case currency, after the cap."""
    reported: str
    """How the loss was obtained: the native figure, or the USD conversion."""
    capped: bool
    """True when the cap cut the loss."""
    paid: dict[str, float]
    """Instrument id -> money it pays (instruments that pay nothing are left out)."""
    uncovered: float


def stress_table(case: Case, terms: Terms, x: FloatArray, rate: UsdRate, cap: float = math.inf) -> list[StressRow]:
    """Replay every incident, in date order."""
    frame = load_incidents()
    native = native_losses()
    losses, words = [], []
    for row in frame.itertuples():
        day = row.date.date().isoformat()
        found = native.get((day, str(row.exchange)))
        if found is not None and found[0] == case.currency:
            losses.append(found[1])
            words.append(f"reported in {case.currency}")
        else:
            mid = (float(row.loss_usd_low) + float(row.loss_usd_high)) / 2
            losses.append(mid * rate.value)
            words.append(f"USD {mid:,.0f} x {rate.value:g}")
    raw = np.array(losses, dtype=np.float64)
    capped = np.minimum(raw, cap)
    years = len(losses)
    block = scenarios_from_events(years, np.arange(1, years + 1), capped, "historical incidents")
    payments = pay_years(block, case, terms, x)
    rows = []
    for index, row in enumerate(frame.itertuples()):
        paid = {terms.ids[k]: float(v) for k, v in enumerate(payments.paid[index]) if v > 0}
        rows.append(
            StressRow(
                date=row.date.date().isoformat(),
                exchange=str(row.exchange),
                loss=float(capped[index]),
                reported=words[index],
                capped=bool(raw[index] > cap),
                paid=paid,
                uncovered=float(payments.uncovered[index]),
            )
        )
    return rows
