"""Altair charts of a risk report: the exceedance curves and recovery by instrument. No Streamlit."""

from __future__ import annotations

import altair as alt
import pandas as pd

from optimizer.risk.figures import RiskReport
from ui.charts import money_unit


def exceedance_chart(report: RiskReport) -> alt.Chart:
    """Annual loss and uncovered loss against return period (years, log axis).

    The rank-r year of S is exceeded in r - 1 years: its empirical return period is S / r.
    """
    curve = report.curve
    top = max(curve["loss"], default=0.0)
    size, unit = money_unit(top, report.currency)
    rows = [
        {"return period": t, "amount": v / size, "series": "annual loss"}
        for t, v in zip(curve["loss_return_period"], curve["loss"], strict=True)
        if v > 0
    ]
    rows += [
        {"return period": t, "amount": v / size, "series": "uncovered loss"}
        for t, v in zip(curve["uncovered_return_period"], curve["uncovered"], strict=True)
        if v > 0
    ]
    frame = pd.DataFrame(rows, columns=["return period", "amount", "series"])
    return (
        alt.Chart(frame, title="Exceedance: loss exceeded once in so many years")
        .mark_line(point=False, interpolate="step-after")
        .encode(
            x=alt.X("return period:Q", scale=alt.Scale(type="log"), title="return period (years, log scale)"),
            y=alt.Y("amount:Q", title=f"annual amount ({unit})"),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=["annual loss", "uncovered loss"], range=["#4c78a8", "#d62728"]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=[
                alt.Tooltip("series:N"),
                alt.Tooltip("return period:Q", title="1 in … years", format=",.0f"),
                alt.Tooltip("amount:Q", title=f"amount ({unit})", format=",.2f"),
            ],
        )
        .properties(height=340)
    )


def recovery_chart(report: RiskReport) -> alt.Chart:
    """Expected annual recovery of each instrument in the mix."""
    items = [(name, value) for name, value in report.expected_recovery.items() if report.mix.get(name, 0) > 0]
    size, unit = money_unit(max((v for _, v in items), default=0.0), report.currency)
    frame = pd.DataFrame({"instrument": [n for n, _ in items], "recovery": [v / size for _, v in items]})
    return (
        alt.Chart(frame, title="Expected annual recovery by instrument")
        .mark_bar(color="#f58518")
        .encode(
            y=alt.Y("instrument:N", sort=None, title=None),
            x=alt.X("recovery:Q", title=f"expected payout a year ({unit})"),
            tooltip=[alt.Tooltip("instrument:N"), alt.Tooltip("recovery:Q", title=f"({unit})", format=",.3f")],
        )
        .properties(height=alt.Step(28))
    )
