"""The risk figures of a mix (model.md section 4; design/case-format.md ``reserve-opt risk``).

``risk_report`` evaluates one mix (money bought per instrument) over the scenarios and returns
a ``RiskReport``; ``RiskReport.to_dict`` is the JSON answer, with the keys fixed by the case
format first (years, level, expected_loss, expected_uncovered, probability_uncovered, var, cvar,
expected_recovery, loss_ratio, return_periods, stress) and the extras after them.

The limits under ``risk:`` (max_cvar, max_expected_uncovered) are checked against the mix: the
report says whether it meets them. ``reserve-opt solve`` holds them (optimizer/coverage/risk_limits.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from optimizer.case.names import counterparty_key
from optimizer.case.scenarios_schema import RiskLimits
from optimizer.case.schema import Case, Insurance, Parametric
from optimizer.risk.build import settings_of, usd_rate
from optimizer.risk.defaults import draw_defaults
from optimizer.risk.evaluate import evaluate_mix
from optimizer.risk.measures import RETURN_PERIODS, SortedLosses, exceedance_curve
from optimizer.risk.model import LossSpec
from optimizer.risk.payouts import decisions_from_amounts, instrument_terms
from optimizer.risk.scenarios import Scenarios
from optimizer.risk.stress import StressRow, stress_table


@dataclass(frozen=True)
class ReturnPeriod:
    """Values exceeded on average once in ``years`` years (aggregate and occurrence basis)."""

    years: int
    annual_loss: float
    uncovered: float
    largest_incident: float
    """The largest single incident of the year (occurrence basis)."""


@dataclass(frozen=True)
class LimitCheck:
    """A risk limit of the case and whether the mix meets it."""

    name: str
    limit: float
    value: float
    met: bool


@dataclass(frozen=True)
class RiskReport:
    """Everything ``reserve-opt risk`` reports for one mix."""

    currency: str
    years: int
    level: float
    expected_loss: float
    expected_uncovered: float
    probability_uncovered: float
    var: float
    cvar: float
    expected_recovery: dict[str, float]
    loss_ratio: dict[str, float | None]
    return_periods: list[ReturnPeriod]
    stress: list[StressRow]
    probability_loss: float
    default_added: dict[str, float]
    """Counterparty -> expected extra uncovered loss a year if it paid nothing in any year."""
    limits: list[LimitCheck]
    mix: dict[str, float]
    source: str
    seed: int | None
    notes: tuple[str, ...]
    curve: dict[str, list[float]] = field(default_factory=dict)
    """Exceedance curves for charts: return period and value of loss and of uncovered loss."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer: the fixed keys first, then the extras."""
        answer = {
            "years": self.years,
            "level": self.level,
            "expected_loss": self.expected_loss,
            "expected_uncovered": self.expected_uncovered,
            "probability_uncovered": self.probability_uncovered,
            "var": self.var,
            "cvar": self.cvar,
            "expected_recovery": self.expected_recovery,
            "loss_ratio": self.loss_ratio,
            "return_periods": [asdict(row) for row in self.return_periods],
            "stress": [asdict(row) for row in self.stress],
            "currency": self.currency,
            "probability_loss": self.probability_loss,
            "default_added": self.default_added,
            "limits": [asdict(check) for check in self.limits],
            "limits_note": "checked against this mix; `reserve-opt solve` finds the cheapest mix that holds them",
            "mix": self.mix,
            "source": self.source,
            "seed": self.seed,
            "notes": list(self.notes),
        }
        return answer

    def return_period(self, years: int) -> ReturnPeriod:
        """The row of one return period."""
        return next(row for row in self.return_periods if row.years == years)


def risk_report(
    case: Case,
    scenarios: Scenarios,
    spec: LossSpec | None,
    amounts: Mapping[str, float],
    with_stress: bool = True,
) -> RiskReport:
    """Evaluate the mix ``amounts`` (instrument id -> money bought) over ``scenarios``."""
    settings = settings_of(case)
    limits = case.risk if case.risk is not None else RiskLimits()
    terms = instrument_terms(case)
    x = decisions_from_amounts(case, amounts)
    seed = scenarios.seed if scenarios.seed is not None else settings.seed
    defaults = draw_defaults(scenarios, settings.default_probability or {}, seed)
    outcome = evaluate_mix(scenarios, case, terms, x, defaults)
    years = scenarios.years
    loss = SortedLosses(scenarios.annual_loss, years)
    uncovered = SortedLosses(outcome.uncovered, years)
    largest = SortedLosses(scenarios.largest_incident(), years)
    var, cvar = uncovered.var_cvar(limits.level)
    periods = [
        ReturnPeriod(t, loss.return_period(t), uncovered.return_period(t), largest.return_period(t))
        for t in RETURN_PERIODS
    ]
    recovery = {i: float(v) / years for i, v in zip(terms.ids, outcome.recovered, strict=True)}
    checks = _limit_checks(limits, cvar, uncovered.mean())
    stress: list[StressRow] = []
    if with_stress:
        cap = float(np.max(spec.caps)) if spec is not None else (settings.cap or math.inf)
        stress = stress_table(case, terms, x, usd_rate(case), cap)
    notes = list(spec.notes) if spec is not None else []
    notes.append("cash pays before guarantees; insurance and parametric cover pay on their terms first")
    return RiskReport(
        currency=case.currency,
        years=years,
        level=limits.level,
        expected_loss=loss.mean(),
        expected_uncovered=uncovered.mean(),
        probability_uncovered=float(np.count_nonzero(outcome.uncovered > 0)) / years,
        var=var,
        cvar=cvar,
        expected_recovery=recovery,
        loss_ratio=_loss_ratios(case, outcome.unit_payout / years),
        return_periods=periods,
        stress=stress,
        probability_loss=float(np.count_nonzero(scenarios.annual_loss > 0)) / years,
        default_added={_display(case, key): total / years for key, total in outcome.default_added.items()},
        limits=checks,
        mix={item.id: float(amounts.get(item.id, 0.0)) for item in case.instruments},
        source=scenarios.source,
        seed=scenarios.seed,
        notes=tuple(notes),
        curve=_curves(loss, uncovered),
    )


def _display(case: Case, key: str) -> str:
    """The counterparty's name as the case first writes it."""
    return next(i.counterparty for i in case.instruments if i.counterparty and counterparty_key(i.counterparty) == key)


def _loss_ratios(case: Case, unit_payout: np.ndarray) -> dict[str, float | None]:
    """Expected payout / premium of each insurance and parametric instrument (at any share).

    Both scale with the share or units bought, so the ratio is the same whatever the mix;
    None where the premium is zero.
    """
    ratios: dict[str, float | None] = {}
    for k, item in enumerate(case.instruments):
        if isinstance(item, Insurance):
            premium = item.premium_rate * item.limit
        elif isinstance(item, Parametric):
            premium = item.premium
        else:
            continue
        ratios[item.id] = float(unit_payout[k]) / premium if premium > 0 else None
    return ratios


LIMIT_RTOL = 1e-9
"""A limit is met when the value is at most limit x (1 + 1e-9): the tolerance the optimum is
verified to (coverage/risk_limits.py uses this constant). Without it the optimum, which sits on its CVaR
limit, would be reported as breaking it by ¥0.002 of ¥15bn, float noise of the sort over years."""


def _limit_checks(limits: RiskLimits, cvar: float, expected: float) -> list[LimitCheck]:
    checks = []
    if limits.max_cvar is not None:
        limit = limits.max_cvar
        checks.append(LimitCheck("max_cvar", limit, cvar, cvar <= limit * (1 + LIMIT_RTOL)))
    if limits.max_expected_uncovered is not None:
        limit = limits.max_expected_uncovered
        checks.append(LimitCheck("max_expected_uncovered", limit, expected, expected <= limit * (1 + LIMIT_RTOL)))
    return checks


def _curves(loss: SortedLosses, uncovered: SortedLosses) -> dict[str, list[float]]:
    loss_t, loss_v = exceedance_curve(loss)
    unc_t, unc_v = exceedance_curve(uncovered)
    return {
        "loss_return_period": loss_t.tolist(),
        "loss": loss_v.tolist(),
        "uncovered_return_period": unc_t.tolist(),
        "uncovered": unc_v.tolist(),
    }
