"""Charts and tables of the Insurer page: one exchange's demand curve, a market's sweep.

They take optimizer objects and return Altair charts or DataFrames: no Streamlit widgets.
Words come from the catalogue (``insurer.*``), money and rates from ``ui.format`` and
``ui.charts.money_unit`` (so the 億円 style applies), the instrument's colour from
``ui.charts.colour_of`` (the same colour as on the Optimise page).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from optimizer.pricing.demand import DemandCurve
from optimizer.pricing.report import MarketSweep, point_row
from ui import format as fmt
from ui.charts import colour_of, money_unit
from ui.i18n import t
from ui.views import price_words

RATE_AXIS = ".2~%"
"""d3 format of a rate on line on an axis: 0.25%, 1%, 3.5% (as ``fmt.rate`` writes them)."""

_MEASURES = {
    "limit_bought": "#4e79a7",
    "premium_income": "#59a14f",
    "expected_loss": "#e15759",
    "expected_profit": "#f28e2b",
}
"""The sweep's measures and their colours (measures, not instruments: the same on every sweep)."""


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
    return pd.DataFrame(rows, columns=["price", "quantity", "amount"])


def _price_axis(curve: DemandCurve, top: float, currency: str) -> tuple[float, str, str]:
    """Divisor, axis title and d3 format of the instrument's own price."""
    if curve.price_field == "premium":
        size, unit = money_unit(top, currency)
        return size, t("insurer.axis_premium", unit=unit), ",.3~f"
    return 1.0, t("insurer.axis_rate"), RATE_AXIS


def curve_chart(curve: DemandCurve, currency: str, ids: Sequence[str]) -> alt.LayerChart:
    """Money bought against the instrument's own price, the case's price as a dashed rule.

    ``ids`` are the case's instrument ids in order: the line has the instrument's own colour.
    """
    top = 1.25 * max([curve.current, *(point.price for point in curve.breakpoints), 1e-9])
    frame = curve_frame(curve, top)
    size, unit = money_unit(float(frame["amount"].max() or 0.0), currency)
    price_size, price_title, price_format = _price_axis(curve, top, currency)
    frame["bought"] = frame["amount"] / size
    frame["shown"] = frame["price"] / price_size
    x = alt.X("shown:Q", title=price_title, axis=alt.Axis(format=price_format))
    line = (
        alt.Chart(frame)
        .mark_line(interpolate="linear", strokeWidth=2.5, color=colour_of(ids, curve.instrument))
        .encode(
            x=x,
            y=alt.Y("bought:Q", title=t("insurer.axis_bought", unit=unit)),
            tooltip=[
                alt.Tooltip("shown:Q", title=price_title, format=price_format),
                alt.Tooltip("bought:Q", title=t("insurer.axis_bought", unit=unit), format=",.3~f"),
            ],
        )
    )
    now = pd.DataFrame({"shown": [curve.current / price_size], "label": [t("insurer.now_mark")]})
    rule = alt.Chart(now).mark_rule(strokeDash=[4, 4], color="black").encode(
        x="shown:Q", tooltip=[alt.Tooltip("label:N", title=""), alt.Tooltip("shown:Q", title=price_title,
                                                                               format=price_format)]
    )
    label = alt.Chart(now).mark_text(align="left", dx=4, baseline="top", y=4).encode(x="shown:Q", text="label:N")
    return alt.layer(line, rule, label).properties(
        title=t("insurer.curve_title", instrument=curve.instrument), height=300
    )


def breakpoints_frame(curve: DemandCurve, currency: str) -> pd.DataFrame:
    """One row per breakpoint: the price, money bought below and above it, whether it was confirmed."""
    return pd.DataFrame(
        [
            {
                t("insurer.col_price"): price_words(curve.price_field, point.price, currency),
                t("insurer.col_below"): fmt.money(point.below * curve.money_per_unit, currency),
                t("insurer.col_above"): fmt.money(point.above * curve.money_per_unit, currency),
                t("insurer.col_confirmed"): t("form.yes") if point.confirmed else t("form.no"),
            }
            for point in curve.breakpoints
        ]
    )


def sweep_frame(sweep: MarketSweep) -> pd.DataFrame:
    """The sweep's points with the field names of ``reserve-opt price`` (the CSV download, the chart)."""
    return pd.DataFrame([point_row(point) for point in sweep.points])


def sweep_table(sweep: MarketSweep) -> pd.DataFrame:
    """The sweep's points as the page shows them: words in the session's language, money and rates formatted.

    Money in the short form (¥19.8bn, 198億円): seven figures a row are read across, not added
    up, and the full amounts are in the download. A column of exchanges not priced only when
    some were not.
    """
    cur = sweep.product.currency
    rows = []
    for point in sweep.points:
        row = {
            t("insurer.col_rate"): fmt.rate(point.price),
            t("insurer.col_buyers"): point.buyers,
            t("insurer.col_limit"): fmt.short(point.limit_bought, cur),
            t("insurer.col_income"): fmt.short(point.premium_income, cur),
            t("insurer.col_loss"): fmt.short(point.expected_loss, cur),
            t("insurer.col_loss_ratio"): "—" if point.expected_loss_ratio is None
            else fmt.share(point.expected_loss_ratio),
            t("insurer.col_profit"): fmt.short(point.expected_profit, cur),
            t("insurer.col_within"): t("form.yes") if point.within_capacity else t("form.no"),
        }
        if any(other.failed for other in sweep.points):
            row[t("insurer.col_failed")] = ", ".join(point.failed)
        rows.append(row)
    return pd.DataFrame(rows)


def _technical_rule(sweep: MarketSweep) -> list[alt.Chart]:
    """The technical rate as a dashed rule with its name (nothing when it is unknown)."""
    if sweep.technical_rate is None:
        return []
    rule = pd.DataFrame({"price": [sweep.technical_rate], "label": [t("insurer.technical_mark")]})
    return [
        alt.Chart(rule).mark_rule(strokeDash=[4, 4], color="black").encode(
            x="price:Q", tooltip=[alt.Tooltip("label:N", title=""),
                                  alt.Tooltip("price:Q", title=t("insurer.col_rate"), format=".3~%")]
        ),
        alt.Chart(rule).mark_text(align="left", dx=4, baseline="top", y=4).encode(x="price:Q", text="label:N"),
    ]


def _measure_chart(sweep: MarketSweep, measures: Sequence[str], title: str) -> alt.LayerChart:
    """Some of the sweep's money measures against price, in one round unit, a colour each."""
    frame = sweep_frame(sweep)
    size, unit = money_unit(float(frame[list(measures)].abs().to_numpy().max() or 0.0), sweep.product.currency)
    long = frame.melt(id_vars=["price"], value_vars=list(measures), var_name="measure", value_name="value")
    long["value"] = long["value"] / size
    names = {measure: t(f"insurer.m_{measure}") for measure in measures}
    long["measure"] = long["measure"].map(names)
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("price:Q", title=t("insurer.axis_rate"), axis=alt.Axis(format=RATE_AXIS)),
            y=alt.Y("value:Q", title=t("insurer.axis_money", unit=unit)),
            color=alt.Color(
                "measure:N",
                scale=alt.Scale(domain=list(names.values()), range=[_MEASURES[name] for name in measures]),
                legend=alt.Legend(orient="bottom", title=None, labelLimit=400, columns=2),
            ),
            tooltip=[
                alt.Tooltip("price:Q", title=t("insurer.col_rate"), format=RATE_AXIS),
                alt.Tooltip("measure:N", title=""),
                alt.Tooltip("value:Q", title=unit, format=",.3~f"),
            ],
        )
    )
    return alt.layer(lines, *_technical_rule(sweep)).properties(title=title, height=300)


def sweep_charts(sweep: MarketSweep) -> tuple[alt.LayerChart, alt.LayerChart]:
    """The market's demand (limit bought) and its economics (income, expected loss and profit a year).

    Two charts, each in its own unit: the limit bought is tens of times the premium on it, and
    on one axis the income, loss and profit lines would lie flat along zero.
    """
    demand = _measure_chart(sweep, ["limit_bought"], t("insurer.demand_title"))
    economics = _measure_chart(
        sweep, ["premium_income", "expected_loss", "expected_profit"], t("insurer.economics_title")
    )
    return demand, economics
