"""The board report's table of the loss model's assumptions, each with where it comes from.

One row per figure the simulation used: the VaR / CVaR level, the years and seed (or the
year-event table), the incidents a year, one incident's loss, the attack routes with their caps,
the USD rate, the counterparties' default probabilities; each says whether the case set it or
which loss-model parameter (with its status, fitted / derived / assumption, its source and its
95% interval) it comes from (data/loss-models/).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from optimizer.case.errors import CaseError
from optimizer.case.money import percent
from optimizer.case.schema import Case
from optimizer.risk.build import settings_of, usd_rate
from optimizer.risk.figures import RiskReport
from optimizer.risk.loss_models import LossModel, load_loss_model
from optimizer.risk.model import LossSpec

Row = list[str]


def assumption_rows(
    case: Case, report: RiskReport, spec: LossSpec | None, t: Callable[..., str], short: Callable[[float], str]
) -> list[Row]:
    """(item, value, source) rows of everything the risk figures assumed."""
    settings = settings_of(case)

    def origin(field: str, given: object) -> str:
        return t("from_case", field=field) if given is not None else t("from_default")

    rows: list[Row] = [[t("a_level"), percent(report.level), origin("risk.level", case.risk)]]
    if settings.events is not None:
        rows.append([t("a_events"), t("events_value", path=settings.events, years=f"{report.years:,}"),
                     t("from_case", field="scenarios.events")])
    else:
        rows.append([t("a_years"), f"{report.years:,}", origin("scenarios.years", settings.years)])
        rows.append([t("a_seed"), str(report.seed if report.seed is not None else settings.seed),
                     origin("scenarios.seed", case.scenarios)])
    if spec is not None:
        model = load_loss_model(settings.loss_model)
        rows += _model_rows(case, spec, model, t, short)
    try:
        rate = usd_rate(case)
        rows.append([t("a_fx"), f"{rate.value:g} {case.currency}", rate.source])
    except CaseError:  # an events-table case needs no rate for its years; the replay then has none
        pass
    for name, probability in (settings.default_probability or {}).items():
        rows.append([t("a_default", name=name), percent(probability),
                     t("from_case", field="scenarios.default_probability")])
    return rows


def _model_rows(
    case: Case, spec: LossSpec, model: LossModel, t: Callable[..., str], short: Callable[[float], str]
) -> list[Row]:
    settings = settings_of(case)

    def cited(*names: str) -> str:
        return "; ".join(
            t("from_model", model=model.id, name=name, source=model.parameters[name].source,
              section=model.parameters[name].section, status=model.parameters[name].status)
            for name in names
        )

    def interval(name: str, shown: Callable[[float], str]) -> str:
        found = model.parameters[name].interval
        return "" if found is None else " " + t("interval", low=shown(found[0]), high=shown(found[1]))

    rows: list[Row] = []
    if settings.frequency is not None:
        rows.append([t("a_frequency"), f"{spec.per_year:g}", t("from_case", field="scenarios.frequency")])
    else:
        rows.append([t("a_frequency"), f"{spec.per_year:g}" + interval("per_year", lambda v: f"{v:.3g}"),
                     cited("per_year")])
    severity = spec.severity
    given = settings.severity
    if severity.distribution == "lognormal":
        value = t("sev_lognormal", median=short(severity.median), sigma=f"{severity.sigma:.3g}")
        names: tuple[str, ...] = ("lognormal_median", "lognormal_sigma")
    elif severity.distribution == "pareto":
        value = t("sev_pareto", minimum=short(severity.minimum), alpha=f"{severity.alpha:.3g}")
        names = ("pareto_minimum", "pareto_alpha")
    else:
        value, names = t("sev_incidents", count=severity.sample.size), ()
    if given is not None and given.distribution != "incidents":
        rows.append([t("a_severity"), value, t("from_case", field="scenarios.severity")])
    else:
        source = cited(*names) if names else "data/incidents.csv"
        rows.append([t("a_severity"), value + (" " + t("usd_converted") if names else ""), source])
    if settings.vectors:
        cap_source = t("from_case", field="scenarios.vectors")
    elif settings.cap is not None:
        cap_source = t("from_case", field="scenarios.cap")
    else:
        cap_source = t("cap_default")
    for name, share, cap in zip(spec.vector_names, spec.shares, spec.caps, strict=True):
        cap_words = t("uncapped") if math.isinf(float(cap)) else short(float(cap))
        if not settings.vectors:  # one route for every incident: only its cap is an assumption
            rows.append([t("a_cap"), cap_words, cap_source])
        else:
            rows.append([t("a_vector", name=name), t("vector_value", share=percent(float(share)), cap=cap_words),
                         cap_source])
    rows.append([t("a_model"), model.name, model.status.strip()])
    return rows
