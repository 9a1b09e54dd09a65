"""The cost-risk frontier as an Altair chart: cost against the risk measure, points clickable.

Takes optimizer objects, returns a chart; no Streamlit. Amounts are plotted in a round unit
named in the axis titles (``money_unit``).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from optimizer.workbench.frontier import Frontier, FrontierPoint
from ui.charts import money_unit

SELECTION = "point"
"""Name of the click selection (``st.altair_chart(..., on_select="rerun")`` reports it)."""


def frontier_frame(frontier: Frontier, board: FrontierPoint | None = None) -> pd.DataFrame:
    """One row per optimal point (index, measure, cost, price), the current mix and the board's point flagged."""
    rows = []
    for index, point in enumerate(frontier.points):
        if point.status == "optimal" and point.value is not None and point.total_cost is not None:
            rows.append({"index": index, "value": point.value, "cost": point.total_cost, "which": "frontier"})
    for which, point in (("current mix", frontier.current), ("board limit", board)):
        if point is not None and point.status == "optimal" and point.value is not None and point.total_cost is not None:
            rows.append({"index": -1, "value": point.value, "cost": point.total_cost, "which": which})
    return pd.DataFrame(rows, columns=["index", "value", "cost", "which"])


def frontier_chart(frontier: Frontier, board: FrontierPoint | None = None) -> alt.LayerChart:
    """The frontier line with clickable points, the current mix and the board's limit marked."""
    frame = frontier_frame(frontier, board)
    x_size, x_unit = money_unit(max(frontier.regulatory_value, 1.0), frontier.currency)
    top = float(frame["cost"].max()) if len(frame) else 1.0
    y_size, y_unit = money_unit(top, frontier.currency)
    frame = frame.assign(x=frame["value"] / x_size, y=frame["cost"] / y_size)
    click = alt.selection_point(name=SELECTION, fields=["index"], on="click")
    base = alt.Chart(frame[frame["which"] == "frontier"], title="Cheapest annual cost at each risk limit")
    x = alt.X("x:Q", title=f"{frontier.measure_words} ({x_unit})")
    y = alt.Y("y:Q", title=f"annual cost ({y_unit})", scale=alt.Scale(zero=False))
    line = base.mark_line(color="#4c78a8").encode(x=x, y=y)
    points = (
        base.mark_point(filled=True, size=70, color="#4c78a8")
        .encode(
            x=x,
            y=y,
            opacity=alt.condition(click, alt.value(1.0), alt.value(0.45)),
            tooltip=[
                alt.Tooltip("x:Q", title=f"risk ({x_unit})", format=",.3f"),
                alt.Tooltip("y:Q", title=f"cost ({y_unit})", format=",.3f"),
            ],
        )
        .add_params(click)
    )
    legend = alt.Color(
        "which:N",
        scale=alt.Scale(domain=["current mix", "board limit"], range=["#e45756", "#54a24b"]),
        legend=alt.Legend(orient="bottom", title=None),
    )
    flagged = alt.Chart(frame[frame["which"] != "frontier"])
    # The current mix as a ring and the board's point as a diamond: both show when they coincide.
    ring = flagged.transform_filter(alt.datum.which == "current mix").mark_point(size=420, strokeWidth=3)
    diamond = flagged.transform_filter(alt.datum.which == "board limit").mark_point(
        shape="diamond", size=160, filled=True
    )
    tooltip = [alt.Tooltip("which:N", title="")]
    marks = alt.layer(
        ring.encode(x=x, y=y, color=legend, tooltip=tooltip), diamond.encode(x=x, y=y, color=legend, tooltip=tooltip)
    )
    return alt.layer(line, points, marks)
