"""Charts and tables of the Insurer page: one exchange's demand curve, a market's sweep.

They take optimizer objects and return Altair charts or DataFrames: no Streamlit.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from optimizer.pricing.demand import DemandCurve
from optimizer.pricing.report import MarketSweep, point_row
from ui.charts import money_unit


def curve_frame(curve: DemandCurve, top: float) -> pd.DataFrame:
    """The step function as points (two per breakpoint), from price 0 to ``top``."""
    rows = []
    for step in curve.steps():
        high = top if step.high is None else min(step.high, top)
        if step.low > top:
            break
        rows += [
            {"price": step.low, "quantity": step.quantity, "amount": step.amount},
            {"price": high, "quantity": step.quantity, "amount": step.amount},
        ]
    return pd.DataFrame(rows)


def curve_chart(curve: DemandCurve, currency: str) -> alt.Chart:
    """Money bought against the instrument's own price, the case's price as a rule."""
    top = 1.25 * max([curve.current, *(point.price for point in curve.breakpoints), 1e-9])
    frame = curve_frame(curve, top)
    size, unit = money_unit(float(frame["amount"].max() or 0.0), currency)
    frame["bought"] = frame["amount"] / size
    price_title = "rate on line" if curve.price_field == "premium_rate" else curve.price_field
    line = (
        alt.Chart(frame, title=f"Demand for {curve.instrument}: what this exchange buys at each price")
        .mark_line(interpolate="linear")
        .encode(
            x=alt.X(
                "price:Q", title=price_title, axis=alt.Axis(format="%" if curve.price_field != "premium" else ",.0f")
            ),
            y=alt.Y("bought:Q", title=f"bought ({unit})"),
        )
    )
    now = alt.Chart(pd.DataFrame({"price": [curve.current]})).mark_rule(strokeDash=[4, 4]).encode(x="price:Q")
    return line + now


def breakpoints_frame(curve: DemandCurve) -> pd.DataFrame:
    """One row per breakpoint: the price, what is bought below and above, and whether it was confirmed."""
    return pd.DataFrame(
        [
            {
                "price": point.price,
                "bought below": point.below * curve.money_per_unit,
                "bought above": point.above * curve.money_per_unit,
                "confirmed by re-solving": point.confirmed,
            }
            for point in curve.breakpoints
        ]
    )


def sweep_frame(sweep: MarketSweep) -> pd.DataFrame:
    """The sweep's points as a table (the download)."""
    return pd.DataFrame([point_row(point) for point in sweep.points])


def sweep_chart(sweep: MarketSweep) -> alt.Chart:
    """Limit bought, premium income, expected loss and expected profit against price, technical rate marked."""
    frame = sweep_frame(sweep)
    measures = ["limit_bought", "premium_income", "expected_loss", "expected_profit"]
    size, unit = money_unit(float(frame[measures].abs().to_numpy().max() or 0.0), sweep.product.currency)
    long = frame.melt(id_vars=["price"], value_vars=measures, var_name="measure", value_name="value")
    long["value"] = long["value"] / size
    chart = (
        alt.Chart(long, title=f"{sweep.product.name} across {sweep.market.name}")
        .mark_line(point=True)
        .encode(
            x=alt.X("price:Q", title="rate on line", axis=alt.Axis(format="%")),
            y=alt.Y("value:Q", title=unit),
            color=alt.Color("measure:N", legend=alt.Legend(orient="bottom", title=None)),
        )
    )
    if sweep.technical_rate is not None:
        rule = pd.DataFrame({"price": [sweep.technical_rate], "label": ["technical rate"]})
        chart = chart + alt.Chart(rule).mark_rule(strokeDash=[4, 4], color="black").encode(
            x="price:Q", tooltip=["label:N", alt.Tooltip("price:Q", format=".3%")]
        )
    return chart
