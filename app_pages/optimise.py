"""Optimise page: the cheapest compliant mix, why it is what it is, and the prices of the rest.

An infeasible case shows its diagnosis and the single changes that fix it, never a blank page.
"""

from __future__ import annotations

import streamlit as st

from optimizer import SolverError, Status
from optimizer.workbench.variants import set_path
from ui import format as fmt
from ui.charts import cost_chart, ladder_chart
from ui.i18n import t
from ui.risk_line import uncovered_line
from ui.solving import record_run, solve
from ui.state import case_data, case_hash, case_source, replace_case, source_of
from ui.tables import show_table, static_table
from ui.text import esc
from ui.views import headline, mix_frame, not_bought_frame, page_case, show_binding, show_infeasible

st.title(t("optimise.title"))
case = page_case()
if case is not None:
    answer = solve(case)
    about, record = st.columns([4, 1], vertical_alignment="center")
    about.caption(f"{esc(case.name)} — {esc(case_source())}")
    if not isinstance(answer, SolverError) and record.button(
        t("optimise.record"), icon=":material/verified:", key="record_run", help=t("optimise.record_help"),
    ):
        run_id = record_run(case, answer, "recorded on request")
        if run_id is None:
            st.warning(t("optimise.not_recorded"))
        else:
            st.success(t("optimise.recorded", run=run_id, digest=case_hash(case)[:12]), icon=":material/verified:")
    if isinstance(answer, SolverError):
        st.error(t("optimise.solver_failed", error=esc(answer)), icon=":material/error:")
    elif answer.status is Status.INFEASIBLE:
        headline(answer)
        show_infeasible(answer)
        if answer.fixes:
            cheapest = answer.fixes[0]
            if st.button(t("optimise.apply_fix", change=esc(cheapest.change)), type="primary", key="apply_fix"):
                fixed = set_path(case_data(), cheapest.field, cheapest.proposed)
                replace_case(fixed, source_of("source.fixed", source=case_source()),
                             t("notice.applied", change=esc(cheapest.change)))
                st.rerun()
    else:
        headline(answer)
        uncovered_line(case, answer)
        st.subheader(t("optimise.mix"))
        show_table(mix_frame(answer))
        costs, ladder = st.columns([2, 3], gap="large")
        costs.altair_chart(cost_chart(answer), width="stretch")
        ladder.altair_chart(ladder_chart(answer), width="stretch")
        margin = answer.ladder_minimum_margin or 0.0
        if margin >= 0:
            spare = t("optimise.spare", amount=fmt.short(margin, answer.currency)) if margin >= 0.5 else ""
            ladder.caption(t("optimise.ladder_ok", spare=spare))
        else:
            ladder.warning(t("optimise.face_only", amount=fmt.short(-margin, answer.currency)))
        binds, prices = st.columns([2, 3], gap="large")
        with binds:
            st.subheader(t("optimise.binds"))
            show_binding(answer)
        with prices:
            st.subheader(t("optimise.not_bought"))
            if answer.not_bought:
                # Plain HTML: in this narrow column its cells wrap instead of being cut off.
                static_table(not_bought_frame(answer.not_bought, answer.currency))
            else:
                st.write(t("optimise.all_bought"))
        if answer.excluded:
            st.subheader(t("optimise.excluded"))
            st.markdown("\n".join(f"- **{esc(name)}**: {esc(why)}" for name, why in answer.excluded.items()))
        st.caption(
            t("optimise.verified", verified=t("form.yes") if answer.verified else t("form.no"),
              solver=answer.solver + (" (MILP)" if answer.is_mip else ""),
              ms=f"{answer.timings.get('total', 0.0) * 1000:.0f}", note=answer.duals_note)
        )
