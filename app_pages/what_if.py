"""What-if page: move the levers and see the cheapest mix re-solved at once.

The result can be saved as a scenario, scenarios compared side by side, and one lever swept.
"""

from __future__ import annotations

import streamlit as st

from optimizer import Case, CaseError, SolverError, Status
from optimizer.workbench.variants import variant_case
from ui.autosave import autosave
from ui.i18n import t
from ui.lever_inputs import cost_of_capital_lever, policy_levers, premium_lever, requirement_lever, reset_levers
from ui.scenarios import compare_section, save_form
from ui.solving import solve
from ui.state import levers, set_levers
from ui.sweep_view import sweep_section
from ui.tables import show_table
from ui.text import esc
from ui.views import headline, mix_frame, page_case, show_binding, show_infeasible, show_problems

PAGE = "what_if"
"""This page's URL path (app.py), under which its work is autosaved."""


@st.fragment
def _levers_and_answers(case: Case) -> None:
    """Everything a lever moves, rerun on its own when a lever moves (``st.fragment``).

    A slider move then reruns this part, not the whole app (navigation, sidebar), and the
    browser redraws only this part of the page (issue #12: slider -> new number). The sidebar
    shows the case's own answer, which no lever changes; the levers are autosaved here too.
    """
    base = solve(case)
    base_cost = None if isinstance(base, SolverError) else base.total_cost
    controls, result = st.columns([2, 3], gap="large")
    with controls:
        st.subheader(t("whatif.levers"))
        moved = levers()
        moved = requirement_lever(case, moved)
        moved = cost_of_capital_lever(case, moved)
        moved = premium_lever(case, moved)
        moved = policy_levers(case, moved)
        set_levers(moved)
        if st.button(t("whatif.reset"), icon=":material/restart_alt:", key="reset_levers"):
            reset_levers()
            set_levers(type(moved)())
            st.rerun()
    with result:
        variant: Case | None = None
        try:
            variant = variant_case(case, moved)
        except CaseError as error:
            show_problems(error, t("whatif.invalid"))
        answer = None
        if variant is not None:
            outcome = solve(variant, exact_prices=False)  # a slider move re-solves one LP, no price re-solves
            if isinstance(outcome, SolverError):
                st.error(t("whatif.solver_failed", error=esc(outcome)))
            else:
                answer = outcome
                st.subheader(t("whatif.mix"))
                headline(answer, baseline=base_cost, per_row=2)
                if answer.status is Status.INFEASIBLE:
                    show_infeasible(answer)
                else:
                    show_table(mix_frame(answer, compact=True))
                    st.markdown("**" + t("optimise.binds") + "**")
                    show_binding(answer)
                save_form(case, moved, variant, answer)

    st.divider()
    st.subheader(t("whatif.scenarios"))
    compare_section(answer, case, moved)
    st.divider()
    sweep_section(case, moved)
    autosave(PAGE)  # a fragment's rerun does not reach app.py's autosave


st.title(t("whatif.title"))
case = page_case()
if case is not None:
    _levers_and_answers(case)
