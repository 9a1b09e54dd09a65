"""Risk page: what the optimal mix pays when the hack comes, and what it leaves uncovered.

The exceedance curves (return period on a log axis) of the annual loss and of the uncovered
loss, the recovery by instrument with each insurer's loss ratio, the historical incidents
replayed against the mix, and the limits under ``risk:`` (reported against, not optimised).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from optimizer import CaseError, SolverError, Status
from optimizer.case.money import money, percent, short_money
from optimizer.case.scenarios_schema import MAX_YEARS
from optimizer.risk.build import DEFAULT_YEARS
from optimizer.risk.figures import RiskReport
from optimizer.workbench.risk_view import solution_mix
from ui.risk_charts import exceedance_chart, recovery_chart
from ui.risk_run import risk_of
from ui.solving import solve
from ui.state import case_source, current_case
from ui.views import show_problems


def show_report(report: RiskReport) -> None:
    """Every figure of the report, top to bottom."""
    cur = report.currency
    level = percent(report.level)
    columns = st.columns(5)
    columns[0].metric(
        "Expected annual loss", short_money(report.expected_loss, cur), help=money(report.expected_loss, cur)
    )
    columns[1].metric(
        "Expected uncovered", short_money(report.expected_uncovered, cur), help=money(report.expected_uncovered, cur)
    )
    columns[2].metric("P(any uncovered loss)", percent(report.probability_uncovered))
    columns[3].metric(f"VaR {level} uncovered", short_money(report.var, cur), help=money(report.var, cur))
    columns[4].metric(f"CVaR {level} uncovered", short_money(report.cvar, cur), help=money(report.cvar, cur))
    for check in report.limits:
        words = f"{check.name} {money(check.limit, cur)}: the mix gives {money(check.value, cur)}"
        if check.met:
            st.success(f"Limit met: {words}.", icon=":material/check_circle:")
        else:
            held = "the Optimise page holds the limits; this mix was typed in or solved without them"
            st.warning(f"Limit NOT met: {words}. ({held[0].upper()}{held[1:]}.)")
    st.altair_chart(exceedance_chart(report), width="stretch")
    table = pd.DataFrame(
        [
            {
                "1 in … years": row.years,
                "annual loss": money(row.annual_loss, cur),
                "uncovered": money(row.uncovered, cur),
                "largest incident": money(row.largest_incident, cur),
            }
            for row in report.return_periods
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    left, right = st.columns([3, 2], gap="large")
    left.altair_chart(recovery_chart(report), width="stretch")
    with right:
        st.subheader("Loss ratios (expected payout / premium)")
        ratios = [
            {"instrument": k, "loss ratio": "—" if v is None else f"{v:.2f}"} for k, v in report.loss_ratio.items()
        ]
        st.dataframe(pd.DataFrame(ratios), hide_index=True, width="stretch")
        if report.default_added:
            st.subheader("What a counterparty's default would add")
            added = [
                {"counterparty": k, "expected uncovered a year": money(v, cur)} for k, v in report.default_added.items()
            ]
            st.dataframe(pd.DataFrame(added), hide_index=True, width="stretch")
    st.subheader("Historical incidents replayed against the mix")
    stress = pd.DataFrame(
        [
            {
                "date": row.date,
                "exchange": row.exchange,
                "loss": money(row.loss, cur) + (" (capped)" if row.capped else ""),
                "how": row.reported,
                "paid": ", ".join(f"{k} {short_money(v, cur)}" for k, v in row.paid.items()),
                "uncovered": money(row.uncovered, cur),
            }
            for row in report.stress
        ]
    )
    st.dataframe(stress, hide_index=True, width="stretch")
    st.caption(f"{report.source}. " + " ".join(f"{note}." for note in report.notes))


st.title("Risk")
case = current_case()
if isinstance(case, CaseError):
    show_problems(case, "The case has problems; fix them on the Case or Market page")
else:
    st.caption(f"{case.name} — {case_source()}")
    settings = case.scenarios
    if settings is None:
        st.info(
            "This case has no `scenarios:` section, so the calibrated default loss model "
            "(data/loss-models/exchange-hacks.yaml) is used. Add `scenarios:` to the case to set your own.",
            icon=":material/info:",
        )
    tabled = settings is not None and settings.events is not None
    years_given = (settings.years if settings is not None else None) or DEFAULT_YEARS
    chosen, seed_column = st.columns(2)
    years = chosen.number_input(
        "Simulated years",
        min_value=1_000,
        max_value=MAX_YEARS,
        value=min(max(years_given, 1_000), MAX_YEARS),
        step=100_000,
        disabled=tabled,
        help=f"At most {MAX_YEARS:,}. More years resolve rarer return periods; 1,000,000 take about a second.",
    )
    seed = seed_column.number_input(
        "Seed", min_value=0, value=settings.seed if settings is not None else 0, step=1, help="Same seed, same figures."
    )
    answer = solve(case)
    if isinstance(answer, SolverError):
        st.error(f"The solver did not prove an optimal mix, so nothing is reported: {answer}", icon=":material/error:")
    elif answer.status is Status.INFEASIBLE:
        st.warning("The case is infeasible: there is no optimal mix to measure. See the Optimise page.")
    else:
        report = risk_of(case, solution_mix(answer), None if tabled else int(years), int(seed))
        if isinstance(report, CaseError):
            show_problems(report)
        elif isinstance(report, RiskReport):
            show_report(report)
        else:
            st.error(f"The project's loss-model data is broken: {report}", icon=":material/error:")
