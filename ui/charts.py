"""Altair charts of an answer: cost by instrument, the coverage ladder and a sweep curve.

Amounts are plotted in a round unit (bn, m, k; or 億円 in the Japanese money style) named in
the axis title, so axes read "¥bn" rather than 1e10. Titles and axes come from the language
catalogue (``ui.i18n``); each instrument has one colour on every chart.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from optimizer.case.money import symbol
from optimizer.coverage.solution import Solution
from optimizer.workbench.sweep import SweepPoint
from ui.format import OKU, money_style
from ui.i18n import t

_UNITS = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k"))
# Tableau 20: distinguishable colours, assigned to instruments in the case's order, so an
# instrument keeps its colour on every chart and in every run of the case (a what-if variant
# has the same instruments in the same order).
PALETTE = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#bab0ac", "#a0cbe8", "#ffbe7d", "#8cd17d", "#ff9d9a", "#86bcb6", "#f1ce63", "#d4a6c8", "#fabfd2",
    "#d7b5a6", "#79706e",
)


def instrument_colours(solution: Solution) -> alt.Scale:
    """The colour scale of instruments: one fixed colour per instrument of the case."""
    return colour_scale([item.id for item in solution.allocations])


def colour_scale(ids: Sequence[str]) -> alt.Scale:
    """The colour scale of the case's instrument ids, in the case's order (as ``instrument_colours``)."""
    return alt.Scale(domain=list(ids), range=[colour_of(ids, name) for name in ids])


def colour_of(ids: Sequence[str], instrument: str) -> str:
    """The colour of one instrument on every chart, from its place in the case's order."""
    return PALETTE[list(ids).index(instrument) % len(PALETTE)]


_JAPANESE_UNITS = ((1e12, "兆円"), (1e8, "億円"), (1e4, "万円"))


def money_unit(amount: float, currency: str) -> tuple[float, str]:
    """The divisor and axis label for amounts of this size: (1e9, "¥bn"), or (1e8, "億円")."""
    if currency == "JPY" and money_style() == OKU:
        for size, name in _JAPANESE_UNITS:
            if abs(amount) >= size:
                return size, name
        return 1.0, "円"
    for size, suffix in _UNITS:
        if abs(amount) >= size:
            return size, f"{symbol(currency).strip()}{suffix}"
    return 1.0, symbol(currency).strip()


def cost_chart(solution: Solution) -> alt.Chart:
    """Annual cost of each instrument bought, a bar per instrument coloured by kind."""
    bought = [item for item in solution.allocations if item.amount > 0]
    total = solution.total_cost or 0.0
    size, unit = money_unit(max((item.annual_cost for item in bought), default=total), solution.currency)
    frame = pd.DataFrame(
        {
            "instrument": [item.id for item in bought],
            "kind": [item.kind for item in bought],
            "cost": [item.annual_cost / size for item in bought],
            "share": [item.annual_cost / total if total else 0.0 for item in bought],
        }
    )
    return (
        alt.Chart(frame, title=t("charts.cost_title"))
        .mark_bar()
        .encode(
            y=alt.Y("instrument:N", sort=None, title=None),
            x=alt.X("cost:Q", title=t("charts.cost_axis", unit=unit)),
            color=alt.Color("instrument:N", scale=instrument_colours(solution), legend=None),
            tooltip=[
                alt.Tooltip("instrument:N", title=t("charts.instrument")),
                alt.Tooltip("kind:N", title=t("charts.kind")),
                alt.Tooltip("cost:Q", title=t("charts.cost_tip", unit=unit), format=",.3f"),
                alt.Tooltip("share:Q", title=t("charts.share"), format=".2%"),
            ],
        )
        .properties(height=alt.Step(30))
    )


def ladder_frame(solution: Solution) -> tuple[pd.DataFrame, float, str]:
    """Long-form ladder data (loss, instrument, funds) in display units, and the unit."""
    size, unit = money_unit(solution.requirement, solution.currency)
    order = [item.id for item in solution.allocations if item.amount > 0]
    rows = []
    previous = None
    for point in solution.ladder:
        loss = point.loss
        # Two points at one loss (a parametric trigger, before and after it pays) would stack
        # on each other in an area chart; nudge the second a hair to the right.
        if previous is not None and loss <= previous:
            loss = previous + solution.requirement * 1e-4
        previous = loss
        for rank, instrument in enumerate(order):
            rows.append(
                {
                    "loss": loss / size,
                    "instrument": instrument,
                    "funds": point.by_instrument.get(instrument, 0.0) / size,
                    "rank": rank,
                }
            )
    return pd.DataFrame(rows, columns=["loss", "instrument", "funds", "rank"]), size, unit


def ladder_chart(solution: Solution) -> alt.LayerChart:
    """Funds available against single-incident loss size, a band per instrument.

    The dashed line is the loss itself, which the funds must reach (ladder test, model.md section 2).
    """
    frame, size, unit = ladder_frame(solution)
    requirement = solution.requirement / size
    top = float(frame["loss"].max()) if not frame.empty else requirement
    x = alt.X("loss:Q", title=t("charts.loss_axis", unit=unit), scale=alt.Scale(domain=[0, top], nice=False))
    bands = (
        alt.Chart(frame)
        .mark_area(opacity=0.85, interpolate="linear")
        .encode(
            x=x,
            y=alt.Y("funds:Q", stack="zero", title=t("charts.funds_axis", unit=unit)),
            color=alt.Color("instrument:N", scale=instrument_colours(solution), title=t("charts.instrument"),
                            legend=alt.Legend(values=list(dict.fromkeys(frame["instrument"])))),
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip("instrument:N"),
                alt.Tooltip("loss:Q", title=t("charts.loss_tip", unit=unit), format=",.2f"),
                alt.Tooltip("funds:Q", title=t("charts.pays_tip", unit=unit), format=",.2f"),
            ],
        )
    )
    need = pd.DataFrame(
        {"loss": [0.0, requirement], "funds": [0.0, requirement], "label": [t("charts.loss_to_pay")] * 2}
    )
    line = (
        alt.Chart(need)
        .mark_line(color="#d62728", strokeDash=[6, 3], strokeWidth=2)
        .encode(x="loss:Q", y="funds:Q", tooltip=[alt.Tooltip("label:N", title="")])
    )
    rule = (
        alt.Chart(pd.DataFrame({"loss": [requirement], "label": [f"R = {requirement:,.2f} {unit}"]}))
        .mark_rule(color="#d62728", strokeWidth=1)
        .encode(x="loss:Q", tooltip=[alt.Tooltip("label:N", title=t("charts.requirement"))])
    )
    return alt.layer(bands, line, rule).properties(
        title=t("charts.ladder_title"), height=320
    )


def sweep_chart(
    points: Sequence[SweepPoint],
    currency: str,
    label: str,
    value_format: str,
    current: float | None = None,
    value_scale: float = 1.0,
) -> alt.LayerChart:
    """Optimal annual cost against the swept lever; infeasible values are marked on the axis.

    ``value_scale`` divides the lever's values for display (money shown in bn, say).
    """
    costs = [point.cost for point in points if point.cost is not None]
    size, unit = money_unit(max(costs, default=1.0), currency)
    # A new segment after each failed point, so the line has a gap there instead of bridging it.
    segments, segment = [], 0
    for point in points:
        segment += point.cost is None
        segments.append(segment)
    frame = pd.DataFrame(
        {
            "value": [point.value / value_scale for point in points],
            "cost": [None if point.cost is None else point.cost / size for point in points],
            "note": [point.note or "optimal" for point in points],
            "segment": segments,
        }
    )
    x = alt.X("value:Q", title=label, axis=alt.Axis(format=value_format))
    solved = frame[frame["cost"].notna()]
    failed = frame[frame["cost"].isna()].assign(cost=0.0)
    layers: list[alt.Chart] = [
        alt.Chart(solved)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("cost:Q", title=t("charts.optimal_axis", unit=unit)),
            detail="segment:N",
            tooltip=[
                alt.Tooltip("value:Q", title=label, format=value_format),
                alt.Tooltip("cost:Q", title=t("charts.cost_tip", unit=unit), format=",.3f"),
            ],
        ),
        alt.Chart(failed)
        .mark_point(shape="cross", color="#d62728", size=80)
        .encode(x=x, y="cost:Q", tooltip=[alt.Tooltip("value:Q", title=label, format=value_format), "note:N"]),
    ]
    if current is not None:
        marker = pd.DataFrame({"value": [current / value_scale]})
        layers.append(alt.Chart(marker).mark_rule(strokeDash=[4, 4]).encode(x=x))
    return alt.layer(*layers).properties(title=t("charts.sweep_title", lever=label), height=260)
