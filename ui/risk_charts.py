"""Altair charts of a risk report: the exceedance curves and recovery by instrument. No Streamlit.

Amounts are plotted in a round unit named in the axis title (``ui.charts.money_unit``: ¥bn, or
億円 in the Japanese money style); titles, axes and legends come from the language catalogue;
each instrument has the colour it has on every other chart (``ui.charts.colour_scale``).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from optimizer.risk.figures import RiskReport
from ui.charts import colour_scale, money_unit
from ui.i18n import t

# The two curves are not instruments: a neutral dark grey for the loss itself, red for what is
# left uncovered (the colour the ladder chart gives the loss to pay).
_LOSS_COLOUR = "#595959"
_UNCOVERED_COLOUR = "#d62728"


def exceedance_chart(report: RiskReport) -> alt.Chart:
    """Annual loss and uncovered loss against return period (years, log axis).

    The rank-r year of S is exceeded in r - 1 years: its empirical return period is S / r.
    """
    curve = report.curve
    top = max(curve["loss"], default=0.0)
    size, unit = money_unit(top, report.currency)
    loss, uncovered = t("risk.series_loss"), t("risk.series_uncovered")
    rows = [
        {"period": period, "amount": value / size, "series": loss}
        for period, value in zip(curve["loss_return_period"], curve["loss"], strict=True)
        if value > 0
    ]
    rows += [
        {"period": period, "amount": value / size, "series": uncovered}
        for period, value in zip(curve["uncovered_return_period"], curve["uncovered"], strict=True)
        if value > 0
    ]
    frame = pd.DataFrame(rows, columns=["period", "amount", "series"])
    return (
        alt.Chart(frame, title=t("risk.exceedance_title"))
        .mark_line(point=False, interpolate="step-after")
        .encode(
            # Up to the longest return period the simulation resolves (its number of years), not
            # the next power of ten.
            x=alt.X("period:Q", scale=alt.Scale(type="log", domainMax=report.years, nice=False),
                    title=t("risk.period_axis")),
            y=alt.Y("amount:Q", title=t("risk.amount_axis", unit=unit)),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=[loss, uncovered], range=[_LOSS_COLOUR, _UNCOVERED_COLOUR]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=[
                alt.Tooltip("series:N", title=t("risk.series_tip")),
                alt.Tooltip("period:Q", title=t("risk.period_tip"), format=",.0f"),
                alt.Tooltip("amount:Q", title=t("risk.amount_tip", unit=unit), format=",.2f"),
            ],
        )
        .properties(height=340)
    )


def recovery_chart(report: RiskReport) -> alt.Chart:
    """Expected annual recovery of each instrument in the mix, in the instrument's own colour."""
    items = [(name, value) for name, value in report.expected_recovery.items() if report.mix.get(name, 0) > 0]
    size, unit = money_unit(max((v for _, v in items), default=0.0), report.currency)
    frame = pd.DataFrame({"instrument": [n for n, _ in items], "recovery": [v / size for _, v in items]})
    return (
        alt.Chart(frame, title=t("risk.recovery_title"))
        .mark_bar()
        .encode(
            y=alt.Y("instrument:N", sort=None, title=None),
            x=alt.X("recovery:Q", title=t("risk.recovery_axis", unit=unit)),
            # The domain is every instrument of the case, so each keeps its colour whatever is bought.
            color=alt.Color("instrument:N", scale=colour_scale(list(report.mix)), legend=None),
            tooltip=[
                alt.Tooltip("instrument:N", title=t("charts.instrument")),
                alt.Tooltip("recovery:Q", title=t("risk.recovery_tip", unit=unit), format=",.3f"),
            ],
        )
        .properties(height=alt.Step(28))
    )


def stress_chart(report: RiskReport) -> alt.Chart:
    """Each historical incident as a bar: what each instrument pays, in its colour, and what is left uncovered."""
    top = max((row.loss for row in report.stress), default=0.0)
    size, unit = money_unit(top, report.currency)
    uncovered = t("risk.series_uncovered")
    ids = list(report.mix)
    rows = []
    for row in report.stress:
        incident = f"{row.date} {row.exchange}"
        parts = [*row.paid.items(), (uncovered, row.uncovered)]
        rows += [
            {"incident": incident, "part": part, "amount": value / size, "rank": rank}
            for rank, (part, value) in enumerate(parts)
            if value > 0
        ]
    frame = pd.DataFrame(rows, columns=["incident", "part", "amount", "rank"])
    # The instruments' own colours, and the uncovered loss in the red of the exceedance chart.
    colours = colour_scale(ids)
    scale = alt.Scale(domain=[*ids, uncovered], range=[*colours.range, _UNCOVERED_COLOUR])
    return (
        alt.Chart(frame, title=t("risk.stress_title"))
        .mark_bar()
        .encode(
            # Wide enough for the date and the longest exchange name (Vega cuts labels at 180 px).
            y=alt.Y("incident:N", sort=None, title=None, axis=alt.Axis(labelLimit=360)),
            x=alt.X("amount:Q", stack="zero", title=t("risk.stress_axis", unit=unit)),
            color=alt.Color("part:N", scale=scale, legend=alt.Legend(orient="bottom", title=None,
                                                                     values=list(dict.fromkeys(frame["part"])))),
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip("incident:N", title=t("risk.incident_tip")),
                alt.Tooltip("part:N", title=t("charts.instrument")),
                alt.Tooltip("amount:Q", title=t("risk.amount_tip", unit=unit), format=",.2f"),
            ],
        )
        .properties(height=alt.Step(20))
    )
