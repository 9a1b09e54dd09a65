"""The sidebar every page shares: the case in hand and its current answer, at a glance."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from optimizer import CaseError, SolverError, Status
from optimizer.case.money import short_money
from ui.solving import solve, time_limit_input, workspace, workspace_error
from ui.state import case_source, current_case


def show_sidebar() -> None:
    """Case name, where it came from, and the cheapest mix's cost (or why there is none)."""
    with st.sidebar:
        case = current_case()
        if isinstance(case, CaseError):
            st.caption(f"Case from {case_source()}")
            count = len(case.problems)
            st.warning(f"The case has {count} problem{'s' if count != 1 else ''}: see the Case or Market page.")
            return
        st.caption(f"**{case.name}**  \nfrom {case_source()}")
        answer = solve(case)
        if isinstance(answer, SolverError):
            st.warning("The solver failed on this case: see the Optimise page.")
        elif answer.status is Status.OPTIMAL and answer.total_cost is not None:
            st.metric(
                "Cheapest compliant mix",
                f"{short_money(answer.total_cost, answer.currency)} a year",
                help=f"Meets R = {short_money(answer.requirement, answer.currency)} ({answer.coverage} test)",
            )
        else:
            st.error("Infeasible: no mix meets this case. See the Optimise page.")
        time_limit_input()
        store = workspace()
        if store is None:
            st.caption(f"Workspace unavailable ({workspace_error()}); answers are not saved.")
        else:
            st.caption(
                f"Workspace: `{Path(store.location).name}`",
                help=f"Saved scenarios and every run's audit record are kept in {store.location} "
                "(set RESERVE_OPT_DB to a path or a database URL to move it).",
            )
