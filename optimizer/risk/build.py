"""From a case to its scenarios: resolve the loss model, then simulate or read the events.

``loss_spec`` fills what the case leaves out from its loss model (data/loss-models/), converts
the model's USD amounts at ``usd_rate`` and sets each attack vector's cap; ``case_scenarios``
returns the years. Everything the user can make this do is bounded: at most MAX_YEARS years
(the schema) and MAX_INCIDENTS expected incidents (here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from optimizer.case.errors import CaseError, Problem
from optimizer.case.scenarios_schema import Pool, ScenarioSettings
from optimizer.case.schema import Case
from optimizer.risk.calibrate import mid_losses_usd
from optimizer.risk.events import read_events
from optimizer.risk.loss_models import default_fx, known_loss_models, load_loss_model
from optimizer.risk.model import LossSpec, Severity
from optimizer.risk.scenarios import Scenarios
from optimizer.risk.simulate import Progress, simulate

DEFAULT_YEARS = 100_000
"""Years simulated when neither the case nor the command says: resolves the 1-in-1,000-year loss."""
MAX_INCIDENTS = 50_000_000
"""Most incidents a simulation may expect (years x per_year): 400 MB of float64 losses."""


@dataclass(frozen=True)
class UsdRate:
    """Case currency per 1 USD, and where the figure comes from."""

    value: float
    source: str


def usd_rate(case: Case, source: str = "the case") -> UsdRate:
    """The rate converting USD figures into the case currency: the case's fx.USD, else data's."""
    if case.currency == "USD":
        return UsdRate(1.0, "the case is in USD")
    if case.fx and "USD" in case.fx:
        return UsdRate(case.fx["USD"], "fx.USD in the case")
    rate = default_fx().rates.get(case.currency)
    if rate is not None:
        return UsdRate(rate.value, f"data/loss-models/fx.yaml ({rate.section}; set fx.USD for today's rate)")
    known = ", ".join(sorted(default_fx().rates))
    msg = (
        f"needs a rate for USD to convert the loss model and the incident table into {case.currency} "
        f"(got no fx.USD; defaults exist only for {known}); add `fx: {{USD: <{case.currency} per 1 USD>}}`"
    )
    raise CaseError([Problem("fx", msg)], source)


def settings_of(case: Case) -> ScenarioSettings:
    """The case's scenario settings (the CLI may run risk on a case without them: defaults)."""
    return case.scenarios if case.scenarios is not None else ScenarioSettings()


def loss_spec(case: Case, source: str = "the case") -> LossSpec:
    """The frequency / severity model of the case, resolved (model.md section 4)."""
    settings = settings_of(case)
    if settings.loss_model not in known_loss_models():
        known = ", ".join(known_loss_models())
        msg = f"must name a loss model in data/loss-models/ (got {settings.loss_model!r}); available: {known}"
        raise CaseError([Problem("scenarios.loss_model", msg)], source)
    model = load_loss_model(settings.loss_model)
    notes = []
    if settings.frequency is not None:
        per_year = settings.frequency.per_year
        notes.append(f"frequency {per_year:g} a year: the case")
    else:
        per_year = model.value("per_year")
        notes.append(f"frequency {per_year:g} a year: loss model {model.id} ({model.parameters['per_year'].status})")
    severity = _severity(case, settings, source, notes)
    names, shares, caps = _vectors(case, settings)
    return LossSpec(per_year, severity, names, shares, caps, tuple(notes))


def _severity(case: Case, settings: ScenarioSettings, source: str, notes: list[str]) -> Severity:
    given = settings.severity
    if given is not None and given.distribution != "incidents":
        notes.append(f"severity {given.distribution}: the case")
        return Severity(
            str(given.distribution),
            median=given.median or math.nan,
            sigma=given.sigma or math.nan,
            minimum=given.minimum or math.nan,
            alpha=given.alpha or math.nan,
        )
    model = load_loss_model(settings.loss_model)
    rate = usd_rate(case, source)
    distribution = str(given.distribution) if given is not None else str(model.severity)
    notes.append(
        f"severity {distribution}: loss model {model.id}, USD at {rate.value:g} {case.currency} ({rate.source})"
    )
    usd = rate.value
    if distribution == "incidents":
        return Severity("incidents", sample=mid_losses_usd() * usd)
    if distribution == "pareto":
        return Severity("pareto", minimum=model.value("pareto_minimum") * usd, alpha=model.value("pareto_alpha"))
    return Severity("lognormal", median=model.value("lognormal_median") * usd, sigma=model.value("lognormal_sigma"))


def _pool(case: Case, pools: tuple[Pool, ...]) -> float:
    return float(sum(getattr(case.exchange, str(pool)) or 0.0 for pool in pools))


def _vectors(case: Case, settings: ScenarioSettings) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    cap = settings.cap
    if not settings.vectors:
        if cap is None:
            hot, cold = case.exchange.client_crypto_hot, case.exchange.client_crypto_cold
            cap = (hot or 0.0) + (cold or 0.0) if hot is not None or cold is not None else math.inf
        return ("all",), np.ones(1), np.array([cap])
    limit = math.inf if cap is None else cap
    names = tuple(v.name for v in settings.vectors)
    shares = np.array([v.share for v in settings.vectors], dtype=np.float64)
    caps = np.array([min(_pool(case, v.exposes), limit) for v in settings.vectors], dtype=np.float64)
    return names, shares / shares.sum(), caps


def case_scenarios(
    case: Case,
    base_dir: Path | None,
    years: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    source: str = "the case",
) -> tuple[Scenarios, LossSpec | None]:
    """The case's years: read from its events table, or simulated (then with the LossSpec used).

    ``years`` and ``seed`` override the case's (the CLI's --years and --seed).
    """
    settings = settings_of(case)
    seed = settings.seed if seed is None else seed
    if settings.events is not None:
        if years is not None or settings.years is None:
            msg = (
                f"is the number of years the events table covers and cannot be changed (got --years {years}); "
                "leave --years out for an events table"
                if years is not None
                else "is required with events (got nothing); give the number of years the table covers"
            )
            raise CaseError([Problem("scenarios.years", msg)], source)
        return read_events(settings.events, settings.years, base_dir, source), None
    spec = loss_spec(case, source)
    count = _simulated_years(settings, spec, years, source)
    return simulate(spec, count, seed, progress), spec


def _simulated_years(settings: ScenarioSettings, spec: LossSpec, years: int | None, source: str) -> int:
    count = years if years is not None else (settings.years or DEFAULT_YEARS)
    expected = count * spec.per_year
    if expected > MAX_INCIDENTS:
        msg = (
            f"would simulate about {expected:,.0f} incidents ({count:,} years x {spec.per_year:g} a year); "
            f"the most allowed is {MAX_INCIDENTS:,} (memory); lower years"
        )
        raise CaseError([Problem("scenarios.years", msg)], source)
    return count


def check_scenarios(case: Case, base_dir: Path | None, source: str = "the case") -> str:
    """Refuse what ``case_scenarios`` would refuse, without simulating; say where the years come from.

    ``reserve-opt validate`` uses it so that a missing or malformed events table, an unknown
    loss model or a currency without an exchange rate is found before a risk run, not by it.
    An events table is read whole (reading it is the check); a simulation is only sized.
    """
    settings = settings_of(case)
    if settings.events is not None:
        scenarios, _ = case_scenarios(case, base_dir, source=source)
        return (
            f"events table {settings.events}: {scenarios.incidents:,} incidents in {scenarios.loss_years:,} "
            f"of {scenarios.years:,} years"
        )
    spec = loss_spec(case, source)
    count = _simulated_years(settings, spec, None, source)
    return f"{count:,} simulated years, {spec.per_year:g} incidents a year, {spec.severity.distribution} severity"
