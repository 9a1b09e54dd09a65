"""Frontier page: the cheapest annual cost at each limit on the tail of the uncovered loss.

Cost against the risk measure (the 1-in-N-year CVaR, or the expected uncovered loss), from the
cheapest mix for the rule alone down to the least risk any mix can reach; the case's current
answer marked; a click on a point shows its mix; a board-limit slider re-solves at any limit
on the session's live model (warm, a few milliseconds) and can write the limit into the case.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import streamlit as st

from optimizer import Case, CaseError, SolverError
from optimizer.case.money import money, short_money
from optimizer.coverage.solve import time_limit_for_solves
from optimizer.risk.loss_models import LossModelError
from optimizer.workbench.frontier import Frontier, FrontierError, FrontierPoint, FrontierSession, open_frontier
from optimizer.workbench.variants import set_path
from ui.charts import money_unit
from ui.frontier_chart import SELECTION, frontier_chart
from ui.solving import time_limit
from ui.state import ROOT, case_data, case_json, case_source, update_case
from ui.views import page_case

# (key, FrontierSession, Frontier) of this browser session: the live model is never shared.
# (Comments, not docstrings: a page script shows a bare string as text.)
_SESSION = "_frontier_session"
_MEASURES = {"cvar": "CVaR of the uncovered loss", "expected": "Expected uncovered loss"}
_FIELDS = {"cvar": "max_cvar", "expected": "max_expected_uncovered"}


def traced(case: Case, measure: str, points: int) -> tuple[FrontierSession, Frontier] | str:
    """The session's frontier for this case, measure and number of points, or why there is none."""
    key = json.dumps([case_json(case.model_dump(mode="json")), measure, points, time_limit()])
    held = st.session_state.get(_SESSION)
    if held is not None and held[0] == key:
        return held[1], held[2]
    try:
        with st.spinner("Tracing the frontier…"), time_limit_for_solves(time_limit()):
            session = open_frontier(case, measure, base_dir=ROOT)
            frontier = session.trace(points)
    except (FrontierError, CaseError, LossModelError, SolverError) as error:
        words = error.describe() if isinstance(error, CaseError) else str(error)
        return f"No frontier: {words}"
    st.session_state[_SESSION] = (key, session, frontier)
    return session, frontier


def mix_table(point: FrontierPoint, currency: str) -> pd.DataFrame:
    """Money bought of each instrument at a point."""
    return pd.DataFrame([{"instrument": name, "bought": money(amount, currency)} for name, amount in point.mix.items()])


def show_point(title: str, point: FrontierPoint, frontier: Frontier) -> None:
    """One point's figures and mix."""
    cur = frontier.currency
    st.markdown(f"**{title}**")
    if point.status != "optimal":
        st.warning(f"{point.status}: {point.detail}", icon=":material/warning:")
        return
    columns = st.columns(3)
    columns[0].metric("Annual cost", short_money(point.total_cost or 0.0, cur), help=money(point.total_cost or 0, cur))
    columns[1].metric("Risk reached", short_money(point.value or 0.0, cur), help=money(point.value or 0.0, cur))
    if point.price is not None:
        step = 10.0 ** (math.floor(math.log10(max(frontier.regulatory_value, 1.0))) - 1)
        columns[2].metric(
            f"Cost of {short_money(step, cur)} less risk, a year",
            short_money(point.price * step, cur),
            help="At the margin, from the dual of the limit row",
        )
    st.dataframe(mix_table(point, cur), hide_index=True, width="stretch")


st.title("Frontier")
case = page_case()
if case is None:
    st.stop()
assert case is not None
st.caption(f"{case.name} — {case_source()}")
if case.scenarios is None:
    st.info("The case has no scenarios section: the frontier uses the calibrated loss model's default years.")
left, right = st.columns([3, 2])
measure = left.radio("Risk measure", list(_MEASURES), format_func=_MEASURES.get, horizontal=True, key="fr_measure")
points = right.slider("Points", min_value=5, max_value=100, value=50, step=5, key="fr_points")
result = traced(case, str(measure), int(points))
if isinstance(result, str):
    st.error(result, icon=":material/error:")
    st.stop()
session, frontier = result
cur = frontier.currency
st.caption(
    f"The {frontier.measure_words}, over {frontier.years:,} years. Held at every point: {frontier.held}. "
    f"Traced and verified in {frontier.seconds:.2f} s."
)
low, high = frontier.least_value, frontier.regulatory_value
board: FrontierPoint | None = None
if high - low > 1e-9 * max(high, 1.0):
    own = frontier.current.limit if frontier.current is not None else high
    size, unit = money_unit(high, cur)  # the slider moves in the chart's unit (¥bn), in steps of 0.01
    chosen = st.slider(
        f"Board limit on the {frontier.measure_words} ({unit})",
        min_value=math.ceil(low / size * 100) / 100,
        max_value=math.floor(high / size * 100) / 100,
        value=round(min(max(own, low), high) / size, 2),
        step=0.01,
        format="%.2f",
        key=f"fr_board_{measure}",
    )
    with time_limit_for_solves(time_limit()):
        board = session.point(float(chosen) * size)
else:
    st.info("No limit on this measure changes the mix: the cheapest mix already reaches the least risk.")
event = st.altair_chart(frontier_chart(frontier, board), on_select="rerun", selection_mode=SELECTION, key="fr_chart")
picked = [row.get("index") for row in event.selection.get(SELECTION, [])] if event else []
chosen_points = [frontier.points[i] for i in picked if isinstance(i, int) and 0 <= i < len(frontier.points)]
columns = st.columns(2, gap="large")
with columns[0]:
    if chosen_points:
        show_point(f"Clicked point: limit {short_money(chosen_points[0].limit, cur)}", chosen_points[0], frontier)
    elif frontier.current is not None:
        show_point("The case as it stands", frontier.current, frontier)
with columns[1]:
    if board is not None:
        show_point(f"At the board limit {short_money(board.limit, cur)}", board, frontier)
        field = _FIELDS[str(measure)]
        if board.status == "optimal" and st.button(f"Set risk.{field} to {money(board.limit, cur)} in the case"):
            update_case(set_path(case_data(), f"risk.{field}", round(board.limit)))
            st.rerun()
rows = [
    {
        "limit": short_money(point.limit, cur),
        "annual cost": "" if point.total_cost is None else money(point.total_cost, cur),
        "risk reached": "" if point.value is None else short_money(point.value, cur),
        "status": point.status,
    }
    for point in frontier.points
]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
