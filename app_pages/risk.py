"""Risk page: what the optimal mix pays when the hack comes, and what it leaves uncovered.

The exceedance curves (return period on a log axis) of the annual loss and of the uncovered
loss, the recovery by instrument with each insurer's loss ratio, the historical incidents
replayed against the mix, and the limits under ``risk:`` (reported against, not optimised).
"""

from __future__ import annotations

import streamlit as st

from optimizer import CaseError, SolverError, Status
from optimizer.case.scenarios_schema import MAX_YEARS
from optimizer.risk.build import DEFAULT_YEARS
from optimizer.risk.figures import RiskReport
from optimizer.workbench.risk_view import solution_mix
from ui import format as fmt
from ui.i18n import t
from ui.risk_charts import exceedance_chart, recovery_chart, stress_chart
from ui.risk_run import risk_of
from ui.risk_tables import default_frame, limit_words, loss_ratio_frame, return_period_frame, stress_frame
from ui.solving import solve
from ui.state import case_source
from ui.tables import show_table
from ui.text import esc
from ui.views import page_case, show_problems

_ROW_PX = 35
"""Height of a row of ``st.dataframe`` (and of its header), to show a table whole."""


def show_metrics(report: RiskReport) -> None:
    """The five headline figures: expected loss and uncovered loss, its probability, VaR and CVaR."""
    cur = report.currency
    level = fmt.rate(report.level)
    tail = fmt.rate(1.0 - report.level)
    columns = st.columns(5)
    figures = [
        ("risk.expected_loss", report.expected_loss),
        ("risk.expected_uncovered", report.expected_uncovered),
    ]
    for column, (key, value) in zip(columns, figures, strict=False):
        column.metric(t(key), fmt.short(value, cur), help=t(f"{key}_help", amount=fmt.money(value, cur)))
    columns[2].metric(t("risk.p_uncovered"), fmt.rate(report.probability_uncovered), help=t("risk.p_uncovered_help"))
    columns[3].metric(t("risk.var", level=level), fmt.short(report.var, cur),
                      help=t("risk.var_help", amount=fmt.money(report.var, cur), tail=tail))
    columns[4].metric(t("risk.cvar", level=level), fmt.short(report.cvar, cur),
                      help=t("risk.cvar_help", amount=fmt.money(report.cvar, cur), tail=tail))


def show_report(report: RiskReport) -> None:
    """Every figure of the report, top to bottom."""
    show_metrics(report)
    for check in report.limits:
        if check.met:
            st.success(limit_words(check, report), icon=":material/check_circle:")
        else:
            st.warning(limit_words(check, report) + " " + t("risk.limit_held"), icon=":material/warning:")
    st.altair_chart(exceedance_chart(report), width="stretch")
    st.subheader(t("risk.periods"))
    show_table(return_period_frame(report))
    left, right = st.columns([3, 2], gap="large")
    left.altair_chart(recovery_chart(report), width="stretch")
    with right:
        if report.loss_ratio:
            st.subheader(t("risk.ratios"))
            show_table(loss_ratio_frame(report))
        if report.default_added:
            st.subheader(t("risk.defaults"))
            show_table(default_frame(report))
            st.caption(t("risk.defaults_note"))
    st.subheader(t("risk.stress"))
    st.caption(t("risk.stress_note"))
    stress = stress_frame(report)
    # Every incident in view (no inner scroll), each column as wide as its text.
    show_table(stress, height=_ROW_PX * (len(stress) + 1) + 3)
    st.altair_chart(stress_chart(report), width="stretch")
    st.caption(t("risk.model", notes=esc(" ".join([f"{report.source}.", *(f"{note}." for note in report.notes)]))))


def show_risk() -> None:
    """The page: the settings of the simulation, then the report of the optimal mix."""
    st.title(t("risk.title"))
    case = page_case()
    if case is None:
        return
    st.caption(f"{esc(case.name)} — {esc(case_source())}")
    settings = case.scenarios
    if settings is None:
        st.info(t("risk.no_scenarios"), icon=":material/info:")
    tabled = settings is not None and settings.events is not None
    years_given = (settings.years if settings is not None else None) or DEFAULT_YEARS
    chosen, seed_column = st.columns(2)
    years = chosen.number_input(
        t("risk.years"),
        min_value=1_000,
        max_value=MAX_YEARS,
        value=min(max(years_given, 1_000), MAX_YEARS),
        step=100_000,
        disabled=tabled,
        help=t("risk.years_tabled") if tabled else t("risk.years_help", most=f"{MAX_YEARS:,}"),
    )
    seed = seed_column.number_input(
        t("risk.seed"), min_value=0, value=settings.seed if settings is not None else 0, step=1,
        help=t("risk.seed_help"),
    )
    answer = solve(case)
    if isinstance(answer, SolverError):
        st.error(t("risk.solver_failed", error=esc(answer)), icon=":material/error:")
        return
    if answer.status is Status.INFEASIBLE:
        st.warning(t("risk.infeasible"), icon=":material/block:")
        return
    report = risk_of(case, solution_mix(answer), None if tabled else int(years), int(seed))
    if isinstance(report, CaseError):
        show_problems(report)
    elif isinstance(report, RiskReport):
        show_report(report)
    else:
        st.error(t("risk.data_broken", error=esc(report)), icon=":material/error:")


# A function, so the page can end early and the sidebar and autosave still run after it.
show_risk()
