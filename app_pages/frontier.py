"""Frontier page: the cheapest annual cost at each limit on the tail of the uncovered loss.

Cost against the risk measure (the 1-in-N-year CVaR, or the expected uncovered loss), from the
cheapest mix for the rule alone down to the least risk any mix can reach; the case's current
answer marked; a click on a point shows its mix; a board-limit slider re-solves at any limit
on the session's live model (warm, a few milliseconds) and can write the limit into the case.
"""

from __future__ import annotations

import json
import math

import streamlit as st

from optimizer import Case, CaseError, SolverError
from optimizer.coverage.solve import time_limit_for_solves
from optimizer.risk.loss_models import LossModelError
from optimizer.workbench.frontier import Frontier, FrontierError, FrontierPoint, FrontierSession, open_frontier
from optimizer.workbench.variants import set_path
from ui import format as fmt
from ui.charts import money_unit
from ui.frontier_chart import SELECTION, frontier_chart
from ui.frontier_words import FIELDS, held_label, measure_label, mix_frame, points_frame, status_label
from ui.i18n import t
from ui.solving import time_limit
from ui.state import ROOT, case_data, case_json, case_source, update_case
from ui.tables import show_table
from ui.text import code, esc
from ui.views import page_case

# (key, FrontierSession, Frontier) of this browser session: the live model is never shared.
# (Comments, not docstrings: a page script shows a bare string as text.)
_SESSION = "_frontier_session"


def traced(case: Case, measure: str, points: int) -> tuple[FrontierSession, Frontier] | str:
    """The session's frontier for this case, measure and number of points, or why there is none."""
    key = json.dumps([case_json(case.model_dump(mode="json")), measure, points, time_limit()])
    held = st.session_state.get(_SESSION)
    if held is not None and held[0] == key:
        return held[1], held[2]
    try:
        with st.spinner(t("frontier.tracing")), time_limit_for_solves(time_limit()):
            session = open_frontier(case, measure, base_dir=ROOT)
            frontier = session.trace(points)
    except (FrontierError, CaseError, LossModelError, SolverError) as error:
        words = error.describe() if isinstance(error, CaseError) else str(error)
        return t("frontier.none", error=esc(words))
    st.session_state[_SESSION] = (key, session, frontier)
    return session, frontier


def show_point(title: str, point: FrontierPoint, case: Case, frontier: Frontier) -> None:
    """One point's figures and mix."""
    cur = frontier.currency
    st.markdown(f"**{title}**")
    if point.status != "optimal":
        st.warning(t("frontier.point_problem", status=status_label(point), detail=esc(point.detail)),
                   icon=":material/warning:")
        return
    cost, risk = point.total_cost or 0.0, point.value or 0.0
    columns = st.columns(2)
    columns[0].metric(t("frontier.cost"), fmt.short(cost, cur), help=fmt.money(cost, cur))
    columns[1].metric(t("frontier.risk"), fmt.short(risk, cur), help=fmt.money(risk, cur))
    if point.price is not None:
        # A sentence, not a third metric: its label (the step) does not fit a narrow column.
        step = 10.0 ** (math.floor(math.log10(max(frontier.regulatory_value, 1.0))) - 1)
        if point.price * step >= 0.5:
            st.caption(t("frontier.price", step=fmt.short(step, cur), cost=fmt.short(point.price * step, cur)))
        else:  # no limit binds here: "would add ¥0" reads like a mistake
            st.caption(t("frontier.price_zero"))
    show_table(mix_frame(case, point, cur))


def board_point(session: FrontierSession, frontier: Frontier, measure: str) -> FrontierPoint | None:
    """The board-limit slider (in the chart's unit) and the cheapest mix at its limit, if any limit matters."""
    low, high = frontier.least_value, frontier.regulatory_value
    if high - low <= 1e-9 * max(high, 1.0):
        st.info(t("frontier.no_change"), icon=":material/info:")
        return None
    own = frontier.current.limit if frontier.current is not None else high
    size, unit = money_unit(high, frontier.currency)  # the slider moves in the chart's unit, in steps of 0.01
    chosen = st.slider(
        t("frontier.board", measure=measure_label(measure, frontier.level), unit=unit),
        min_value=math.ceil(low / size * 100) / 100,
        max_value=math.floor(high / size * 100) / 100,
        value=round(min(max(own, low), high) / size, 2),
        step=0.01,
        format="%.2f",
        key=f"fr_board_{measure}_{unit}",  # the unit in the key, as on Plan: a moved value is never re-read in a new unit
        help=t("frontier.board_help"),
    )
    with time_limit_for_solves(time_limit()):
        return session.point(float(chosen) * size)


def show_frontier() -> None:
    """The page: the measure and points, the chart, the current and board points, every point."""
    st.title(t("frontier.title"))
    case = page_case()
    if case is None:
        return
    st.caption(f"{esc(case.name)} — {esc(case_source())}")
    if case.scenarios is None:
        st.info(t("frontier.no_scenarios"), icon=":material/info:")
    left, right = st.columns([3, 2])
    measures = {name: t(f"frontier.measure_{name}") for name in FIELDS}
    measure = str(left.radio(t("frontier.measure"), list(measures), format_func=measures.get, horizontal=True,
                             key="fr_measure"))
    points = right.slider(t("frontier.points"), min_value=5, max_value=100, value=50, step=5, key="fr_points",
                          help=t("frontier.points_help"))
    result = traced(case, measure, int(points))
    if isinstance(result, str):
        st.error(result, icon=":material/error:")
        return
    session, frontier = result
    cur = frontier.currency
    st.caption(
        t("frontier.about", measure=measure_label(measure, frontier.level), years=f"{frontier.years:,}",
          held=held_label(case, frontier), seconds=f"{frontier.seconds:.2f}")
    )
    board = board_point(session, frontier, measure)
    event = st.altair_chart(frontier_chart(frontier, board), on_select="rerun", selection_mode=SELECTION,
                            key="fr_chart")
    picked = [row.get("index") for row in event.selection.get(SELECTION, [])] if event else []
    chosen = [frontier.points[i] for i in picked if isinstance(i, int) and 0 <= i < len(frontier.points)]
    columns = st.columns(2, gap="large")
    with columns[0]:
        if chosen:
            show_point(t("frontier.clicked", limit=fmt.short(chosen[0].limit, cur)), chosen[0], case, frontier)
        elif frontier.current is not None:
            show_point(t("frontier.as_is"), frontier.current, case, frontier)
    with columns[1]:
        if board is not None:
            show_point(t("frontier.at_board", limit=fmt.short(board.limit, cur)), board, case, frontier)
            field = f"risk.{FIELDS[measure]}"
            if board.status == "optimal" and st.button(
                t("frontier.set", field=code(field), amount=fmt.money(board.limit, cur)), key="fr_set_limit"
            ):
                update_case(set_path(case_data(), field, round(board.limit)))
                st.rerun()
    st.subheader(t("frontier.points_table"))
    show_table(points_frame(frontier))


# A function, so the page can end early and the sidebar and autosave still run after it.
show_frontier()
