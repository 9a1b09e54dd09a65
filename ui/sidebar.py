"""The sidebar every page shares: the case in hand and its current answer, at a glance.

Also the language, the money style for yen, "Start over" and whether the work is autosaved.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from optimizer import SolverError, Status
from optimizer.workbench.i18n import LANGUAGES
from ui import format as fmt
from ui.autosave import autosave_error
from ui.i18n import language, set_language, t
from ui.lever_inputs import reset_levers
from ui.solving import solve, time_limit_input, workspace, workspace_error
from ui.state import case_source, refresh_widgets, start_over, version, working_case
from ui.text import esc


def show_sidebar() -> None:
    """Case name, where it came from, and the cheapest mix's cost (or why there is none)."""
    with st.sidebar:
        _case_and_answer()
        time_limit_input()
        _workspace()
        if st.button(t("sidebar.start_over"), icon=":material/restart_alt:", key="start_over",
                     help=t("sidebar.start_over_help")):
            start_over()
            reset_levers()
            st.rerun()
        _language_and_units()


def _language_and_units() -> None:
    st.divider()
    codes = list(LANGUAGES)
    chosen = st.segmented_control(
        t("sidebar.language"), codes, default=language(), format_func=LANGUAGES.__getitem__, key="language_choice"
    )
    if chosen and chosen != language():
        set_language(chosen)
        refresh_widgets()  # menus show their options in the new language
        # Japanese readers expect yen in 億円 / 兆円; the toggle below can change it.
        fmt.set_money_style(fmt.OKU if chosen == "ja" else fmt.WESTERN)
        st.rerun()
    # Keyed by the widget version, which the language switch bumps: the browser's toggle then
    # shows the style just chosen instead of sending back its old position.
    oku = st.toggle(t("sidebar.oku"), value=fmt.money_style() == fmt.OKU, key=f"oku_toggle_{version()}",
                    help=t("sidebar.oku_help"))
    wanted = fmt.OKU if oku else fmt.WESTERN
    if wanted != fmt.money_style():
        fmt.set_money_style(wanted)
        st.rerun()


def _case_and_answer() -> None:
    case, problems = working_case()
    if problems is not None:
        count = len(problems.problems)
        st.warning(t("sidebar.problems", count=count))
    if case is None:
        st.caption(t("sidebar.case_from", source=esc(case_source())))
        return
    st.caption(t("sidebar.case", name=esc(case.name), source=esc(case_source())))
    answer = solve(case)
    if isinstance(answer, SolverError):
        st.warning(t("sidebar.solver_failed"))
    elif answer.status is Status.OPTIMAL and answer.total_cost is not None:
        st.metric(
            t("sidebar.cheapest"),
            t("sidebar.a_year", amount=fmt.short(answer.total_cost, answer.currency)),
            help=t("sidebar.meets", requirement=esc(fmt.short(answer.requirement, answer.currency)),
                   test=t(f"coverage.{answer.coverage}")),
        )
    else:
        st.error(t("sidebar.infeasible"))


def _workspace() -> None:
    store = workspace()
    if store is None:
        st.caption(t("sidebar.no_workspace", error=esc(workspace_error())))
        return
    failed = autosave_error()
    if failed:
        st.caption(t("sidebar.autosave_failed", error=esc(failed)))
    st.caption(
        t("sidebar.workspace", name=esc(Path(store.location).name)),
        help=t("sidebar.workspace_help", location=esc(store.location)),
    )
