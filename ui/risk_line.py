"""The Optimise page's one line of risk: "1-in-200-year uncovered loss: ¥…" (cases with scenarios)."""

from __future__ import annotations

import streamlit as st

from optimizer import Case, Solution
from optimizer.risk.figures import RiskReport
from optimizer.workbench.risk_view import solution_mix
from ui import format as fmt
from ui.i18n import t
from ui.risk_run import risk_of
from ui.text import esc


def uncovered_line(case: Case, solution: Solution) -> None:
    """Write the 1-in-200-year uncovered loss of the mix, when the case has loss scenarios."""
    if case.scenarios is None:
        return
    report = risk_of(case, solution_mix(solution))
    if isinstance(report, RiskReport):
        value = report.return_period(200).uncovered
        st.markdown(t("risk.line", amount=fmt.money(value, report.currency)))
    else:
        st.caption(t("risk.line_unavailable", error=esc(report)))
