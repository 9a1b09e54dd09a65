"""The cost-risk frontier as an Altair chart: cost against the risk measure, points clickable.

Takes optimizer objects, returns a chart; no Streamlit. Amounts are plotted in a round unit
named in the axis titles (``money_unit``: ¥bn, or 億円 in the Japanese money style); titles, axes
and the legend come from the language catalogue.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from optimizer.workbench.frontier import Frontier, FrontierPoint
from ui.charts import money_unit
from ui.frontier_words import measure_label
from ui.i18n import t

SELECTION = "point"
"""Name of the click selection (``st.altair_chart(..., on_select="rerun")`` reports it)."""
_CURRENT, _BOARD = "current", "board"


def frontier_frame(frontier: Frontier, board: FrontierPoint | None = None) -> pd.DataFrame:
    """One row per optimal point (index, measure, cost, price), the current mix and the board's point flagged."""
    rows = []
    for index, point in enumerate(frontier.points):
        if point.status == "optimal" and point.value is not None and point.total_cost is not None:
            rows.append({"index": index, "value": point.value, "cost": point.total_cost, "which": "frontier"})
    for which, point in ((_CURRENT, frontier.current), (_BOARD, board)):
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
    # The legend's words in the session's language; the data keeps fixed codes.
    words = {_CURRENT: t("frontier.current_mix"), _BOARD: t("frontier.board_point")}
    frame = frame.assign(label=frame["which"].map(words).fillna(""))
    base = alt.Chart(frame[frame["which"] == "frontier"], title=t("frontier.chart_title"))
    measure = measure_label(frontier.measure, frontier.level)
    x = alt.X("x:Q", title=t("frontier.risk_axis", measure=measure, unit=x_unit))
    y = alt.Y("y:Q", title=t("charts.cost_axis", unit=y_unit), scale=alt.Scale(zero=False))
    line = base.mark_line(color="#4c78a8").encode(x=x, y=y)
    points = (
        base.mark_point(filled=True, size=70, color="#4c78a8")
        .encode(
            x=x,
            y=y,
            opacity=alt.condition(click, alt.value(1.0), alt.value(0.45)),
            tooltip=[
                alt.Tooltip("x:Q", title=t("frontier.risk_tip", unit=x_unit), format=",.3f"),
                alt.Tooltip("y:Q", title=t("charts.cost_tip", unit=y_unit), format=",.3f"),
            ],
        )
        .add_params(click)
    )
    legend = alt.Color(
        "label:N",
        scale=alt.Scale(domain=[words[_CURRENT], words[_BOARD]], range=["#e45756", "#54a24b"]),
        legend=alt.Legend(orient="bottom", title=None),
    )
    flagged = alt.Chart(frame[frame["which"] != "frontier"])
    # The current mix as a ring and the board's point as a diamond: both show when they coincide.
    ring = flagged.transform_filter(alt.datum.which == _CURRENT).mark_point(size=420, strokeWidth=3)
    diamond = flagged.transform_filter(alt.datum.which == _BOARD).mark_point(
        shape="diamond", size=160, filled=True
    )
    tooltip = [
        alt.Tooltip("label:N", title=""),
        alt.Tooltip("x:Q", title=t("frontier.risk_tip", unit=x_unit), format=",.3f"),
        alt.Tooltip("y:Q", title=t("charts.cost_tip", unit=y_unit), format=",.3f"),
    ]
    marks = alt.layer(
        ring.encode(x=x, y=y, color=legend, tooltip=tooltip), diamond.encode(x=x, y=y, color=legend, tooltip=tooltip)
    )
    return alt.layer(line, points, marks)
