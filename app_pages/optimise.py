"""Optimise page: the cheapest compliant mix, why it is what it is, and the prices of the rest.

An infeasible case shows its diagnosis and the single changes that fix it, never a blank page.
"""

from __future__ import annotations

import streamlit as st

from optimizer import SolverError, Status
from optimizer.workbench.variants import set_path
from ui import format as fmt
from ui.charts import cost_chart, ladder_chart
from ui.solving import record_run, solve
from ui.state import case_data, case_hash, case_source, replace_case
from ui.tables import show_table
from ui.text import esc
from ui.views import headline, mix_frame, not_bought_frame, page_case, show_binding, show_infeasible

st.title("Optimise")
case = page_case()
if case is not None:
    answer = solve(case)
    about, record = st.columns([4, 1], vertical_alignment="center")
    about.caption(f"{esc(case.name)} — {esc(case_source())}")
    if not isinstance(answer, SolverError) and record.button(
        "Record this run", icon=":material/verified:", key="record_run",
        help="Put this answer, the case and its SHA-256 in the workspace's audit trail (Export page). "
        "Runs are recorded when you ask and on every export, not on each edit.",
    ):
        run_id = record_run(case, answer, "recorded on request")
        if run_id is None:
            st.warning("The workspace is unavailable: the run was not recorded.")
        else:
            st.success(f"Recorded as run {run_id}: case SHA-256 {case_hash(case)[:12]}.", icon=":material/verified:")
    if isinstance(answer, SolverError):
        st.error(f"The solver did not prove an optimal mix, so nothing is reported: {esc(answer)}",
                 icon=":material/error:")
    elif answer.status is Status.INFEASIBLE:
        headline(answer)
        show_infeasible(answer)
        if answer.fixes:
            cheapest = answer.fixes[0]
            if st.button(f"Apply the cheapest fix: {esc(cheapest.change)}", type="primary", key="apply_fix"):
                fixed = set_path(case_data(), cheapest.field, cheapest.proposed)
                replace_case(fixed, f"{case_source()}, fixed", f"Applied: {esc(cheapest.change)}.")
                st.rerun()
    else:
        headline(answer)
        st.subheader("The cheapest mix")
        show_table(mix_frame(answer))
        costs, ladder = st.columns([2, 3], gap="large")
        costs.altair_chart(cost_chart(answer), width="stretch")
        ladder.altair_chart(ladder_chart(answer), width="stretch")
        margin = answer.ladder_minimum_margin or 0.0
        if margin >= 0:
            spare = f", with at least {fmt.short(margin, answer.currency)} to spare" if margin >= 0.5 else ""
            ladder.caption(
                f"Funds meet every single loss up to R{spare}. Each band is what one instrument pays for a loss "
                "of that size; the dashed line is the loss itself, which the bands must reach."
            )
        else:
            ladder.warning(
                f"Face test only: a single loss would leave {fmt.short(-margin, answer.currency)} unpaid "
                "(the ladder test is not applied to this case)."
            )
        binds, prices = st.columns([2, 3], gap="large")
        with binds:
            st.subheader("What binds")
            show_binding(answer)
        with prices:
            st.subheader("Not bought, and the price that would bring each in")
            if answer.not_bought:
                show_table(not_bought_frame(answer.not_bought, answer.currency))
            else:
                st.write("Every instrument on offer is in the mix.")
        if answer.excluded:
            st.subheader("Not credited by the rule")
            st.markdown("\n".join(f"- **{esc(name)}**: {esc(why)}" for name, why in answer.excluded.items()))
        st.caption(
            f"Verified against every rule without the LP: {'yes' if answer.verified else 'no'}. "
            f"Solver {answer.solver}{' (MILP)' if answer.is_mip else ''}, "
            f"{answer.timings.get('total', 0.0) * 1000:.0f} ms. {answer.duals_note}."
        )
