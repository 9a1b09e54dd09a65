"""Optimise page: the cheapest compliant mix, why it is what it is, and the prices of the rest.

An infeasible case shows its diagnosis and the single changes that fix it, never a blank page.
"""

from __future__ import annotations

import streamlit as st

from optimizer import CaseError, SolverError, Status
from optimizer.case.money import short_money
from optimizer.workbench.variants import set_path
from ui.charts import cost_chart, ladder_chart
from ui.risk_line import uncovered_line
from ui.solving import solve
from ui.state import case_data, case_source, current_case, replace_case
from ui.views import headline, mix_frame, not_bought_frame, show_binding, show_infeasible, show_problems

st.title("Optimise")
case = current_case()
if isinstance(case, CaseError):
    show_problems(case, "The case has problems; fix them on the Case or Market page")
else:
    st.caption(f"{case.name} — {case_source()}")
    answer = solve(case)
    if isinstance(answer, SolverError):
        st.error(f"The solver did not prove an optimal mix, so nothing is reported: {answer}", icon=":material/error:")
    elif answer.status is Status.INFEASIBLE:
        headline(answer)
        show_infeasible(answer)
        if answer.fixes:
            cheapest = answer.fixes[0]
            if st.button(f"Apply the cheapest fix: {cheapest.change}", type="primary", key="apply_fix"):
                fixed = set_path(case_data(), cheapest.field, cheapest.proposed)
                replace_case(fixed, f"{case_source()}, fixed", f"Applied: {cheapest.change}.")
                st.rerun()
    else:
        headline(answer)
        uncovered_line(case, answer)
        st.subheader("The cheapest mix")
        st.dataframe(mix_frame(answer), hide_index=True, width="stretch")
        costs, ladder = st.columns([2, 3], gap="large")
        costs.altair_chart(cost_chart(answer), width="stretch")
        ladder.altair_chart(ladder_chart(answer), width="stretch")
        margin = answer.ladder_minimum_margin or 0.0
        if margin >= 0:
            spare = f", with at least {short_money(margin, answer.currency)} to spare" if margin >= 0.5 else ""
            ladder.caption(
                f"Funds meet every single loss up to R{spare}. Each band is what one instrument pays for a loss "
                "of that size; the dashed line is the loss itself, which the bands must reach."
            )
        else:
            ladder.warning(
                f"Face test only: a single loss would leave {short_money(-margin, answer.currency)} unpaid "
                "(the ladder test is not applied to this case)."
            )
        binds, prices = st.columns([2, 3], gap="large")
        with binds:
            st.subheader("What binds")
            show_binding(answer)
        with prices:
            st.subheader("Not bought, and the price that would bring each in")
            if answer.not_bought:
                st.dataframe(not_bought_frame(answer.not_bought, answer.currency), hide_index=True, width="stretch")
            else:
                st.write("Every instrument on offer is in the mix.")
        if answer.excluded:
            st.subheader("Not credited by the rule")
            st.markdown("\n".join(f"- **{name}**: {why}" for name, why in answer.excluded.items()))
        st.caption(
            f"Verified against every rule without the LP: {'yes' if answer.verified else 'no'}. "
            f"Solver {answer.solver}{' (MILP)' if answer.is_mip else ''}, "
            f"{answer.timings.get('total', 0.0) * 1000:.0f} ms. {answer.duals_note}."
        )
