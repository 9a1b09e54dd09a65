"""The sidebar every page shares: the case in hand and its current answer, at a glance.

Also "Start over" and whether the work is being autosaved.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from optimizer import CaseError, SolverError, Status
from ui.autosave import autosave_error
from ui.format import short
from ui.lever_inputs import reset_levers
from ui.solving import solve, workspace, workspace_error
from ui.state import case_source, current_case, start_over
from ui.text import esc


def show_sidebar() -> None:
    """Case name, where it came from, and the cheapest mix's cost (or why there is none)."""
    with st.sidebar:
        _case_and_answer()
        _workspace()
        if st.button("Start over", icon=":material/restart_alt:", key="start_over",
                     help="Back to the example case with untouched levers; the work on screen is replaced."):
            start_over()
            reset_levers()
            st.rerun()


def _case_and_answer() -> None:
    case = current_case()
    if isinstance(case, CaseError):
        st.caption(f"Case from {esc(case_source())}")
        count = len(case.problems)
        st.warning(f"The case has {count} problem{'s' if count != 1 else ''}: see the Case or Market page.")
        return
    st.caption(f"**{esc(case.name)}**  \nfrom {esc(case_source())}")
    answer = solve(case)
    if isinstance(answer, SolverError):
        st.warning("The solver failed on this case: see the Optimise page.")
    elif answer.status is Status.OPTIMAL and answer.total_cost is not None:
        st.metric(
            "Cheapest compliant mix",
            f"{short(answer.total_cost, answer.currency)} a year",
            help=f"Meets R = {esc(short(answer.requirement, answer.currency))} ({answer.coverage} test)",
        )
    else:
        st.error("Infeasible: no mix meets this case. See the Optimise page.")


def _workspace() -> None:
    store = workspace()
    if store is None:
        st.caption(f"Workspace unavailable ({esc(workspace_error())}); the work is not saved.")
        return
    failed = autosave_error()
    if failed:
        st.caption(f"The work could not be autosaved ({esc(failed)}); it is kept while this tab is open.")
    st.caption(
        f"Workspace: {esc(Path(store.location).name)}; the work is autosaved.",
        help=f"Saved scenarios, runs and the work in progress are kept in {esc(store.location)} "
        "(set RESERVE_OPT_DB to a path or a database URL to move it). The link in the address bar "
        "brings this work back after a reload or a closed tab.",
    )
