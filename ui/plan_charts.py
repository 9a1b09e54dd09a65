"""Chart and table of the Plan page: the mix over the years and the path year by year.

They take a ``PlanSolution`` and return an Altair chart or a DataFrame: no Streamlit widgets.
Words come from the catalogue (``plan.*``), money from ``ui.format`` and
``ui.charts.money_unit`` (so the 億円 style applies), each instrument's colour from
``ui.charts.colour_scale`` (the same colour as on the Optimise page).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from optimizer.plan.answer import PlanSolution
from ui import format as fmt
from ui.charts import colour_scale, money_unit
from ui.i18n import t


def mix_chart(solution: PlanSolution) -> alt.LayerChart:
    """Money held or bought each year, stacked by instrument, with the cash balance and R_t."""
    size, unit = money_unit(max(year.requirement for year in solution.years), solution.currency)
    ids = [item.id for item in solution.years[0].allocations]  # every instrument, in the case's order
    rows = [
        {
            "year": t("plan.year_label", year=year.year),
            "instrument": item.id,
            "kind": t(f"kind.{item.kind}"),
            "amount": item.amount / size,
            "rank": ids.index(item.id),
        }
        for year in solution.years
        for item in year.allocations
        if item.amount > 0
    ]
    years = [t("plan.year_label", year=year.year) for year in solution.years]
    x = alt.X("year:N", title=t("plan.axis_year"), sort=years, axis=alt.Axis(labelAngle=0))
    held = t("plan.axis_held", unit=unit)
    bars = (
        alt.Chart(pd.DataFrame(rows, columns=["year", "instrument", "kind", "amount", "rank"]))
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("amount:Q", stack="zero", title=held),
            color=alt.Color("instrument:N", scale=colour_scale(ids), title=t("charts.instrument"),
                            legend=alt.Legend(values=list(dict.fromkeys(row["instrument"] for row in rows)))),
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip("year:N", title=t("plan.axis_year")),
                alt.Tooltip("instrument:N", title=t("charts.instrument")),
                alt.Tooltip("kind:N", title=t("charts.kind")),
                alt.Tooltip("amount:Q", format=",.3~f", title=held),
            ],
        )
    )
    path = pd.DataFrame(
        {
            "year": years,
            "cash": [year.cash / size for year in solution.years],
            "requirement": [year.requirement / size for year in solution.years],
        }
    )
    cash_title, required_title = t("plan.cash_line", unit=unit), t("plan.requirement_tick", unit=unit)
    cash = (
        alt.Chart(path)
        .mark_line(point=True, color="black", strokeWidth=2)
        .encode(x=x, y="cash:Q", tooltip=[alt.Tooltip("year:N", title=t("plan.axis_year")),
                                          alt.Tooltip("cash:Q", format=",.3~f", title=cash_title)])
    )
    required = (
        alt.Chart(path)
        .mark_tick(color="#d62728", thickness=2, size=40)
        .encode(x=x, y="requirement:Q", tooltip=[alt.Tooltip("year:N", title=t("plan.axis_year")),
                                                 alt.Tooltip("requirement:Q", format=",.3~f", title=required_title)])
    )
    return alt.layer(bars, cash, required).properties(title=t("plan.chart_title"), height=360)


def year_frame(solution: PlanSolution) -> pd.DataFrame:
    """The path year by year: R_t, the cash balance and its moves, the capacity and the costs.

    The column of cash released only for a plan that allows a release (otherwise it is all zeros).
    """
    cur = solution.currency
    years = solution.years
    columns = {
        t("plan.col_year"): [year.year for year in years],
        t("plan.col_phase"): [fmt.rate(year.fraction) for year in years],
        t("plan.col_requirement"): [fmt.money(year.requirement, cur) for year in years],
        t("plan.col_cash"): [fmt.money(year.cash, cur) for year in years],
        t("plan.col_set_aside"): [fmt.money(year.set_aside, cur) for year in years],
    }
    if solution.allow_release or any(year.release > 0 for year in years):
        columns[t("plan.col_released")] = [fmt.money(year.release, cur) for year in years]
    columns[t("plan.col_capacity")] = [
        t("form.no_limit") if year.capacity is None else fmt.money(year.capacity, cur) for year in years
    ]
    columns[t("plan.col_cost")] = [fmt.money(year.annual_cost, cur) for year in years]
    columns[t("plan.col_discounted")] = [fmt.money(year.discounted_cost, cur) for year in years]
    return pd.DataFrame(columns)
