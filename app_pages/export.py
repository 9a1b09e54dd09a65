"""Export page: the case as YAML, the answer as CSV and Excel, the audit record as JSON.

Also the workspace's record of past runs, each with its audit record to download.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable

import pandas as pd
import streamlit as st

from optimizer import Case, Solution, SolverError
from optimizer.coverage.solve import time_limit_for_solves
from optimizer.workbench.audit import utc_now
from optimizer.workbench.board_report import Report
from optimizer.workbench.export import answer_workbook, case_to_yaml
from optimizer.workbench.report import render_csv
from optimizer.workbench.report_html import report_html
from optimizer.workbench.report_pdf import report_pdf
from optimizer.workbench.report_risk import risk_board_report
from ui import format as fmt
from ui.i18n import language, t
from ui.solving import record_run, run_record, solve, time_limit, workspace, workspace_error
from ui.state import ROOT, case_source, set_notice
from ui.text import code, esc
from ui.views import page_case


def _report(case: Case, answer: Solution, language: str, oku: bool, label: str, limit: float) -> Report:
    """The board report of the answer on screen (made when the button is pressed, outside the run).

    The same as ``reserve-opt report``: with the risk figures of the mix and, where the case has
    a ``risk:`` section, the frontier (optimizer/workbench/report_risk.py says the rule).
    """
    with time_limit_for_solves(limit):
        return risk_board_report(case, answer, language, generated=utc_now(), oku=oku, label=label, base_dir=ROOT)


def _recorder(case: Case, answer: Solution, what: str) -> Callable[[], None]:
    def record() -> None:
        run_id = record_run(case, answer, f"export: {what}")
        if run_id is not None:
            set_notice(t("notice.recorded", run=run_id, what=what))

    return record


st.title(t("export.title"))
case = page_case()
if case is not None:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", case.name).strip("-").lower()[:60] or "case"
    st.caption(f"{esc(case.name)} — {esc(case_source())}")
    answer = solve(case)
    files, notes = st.columns([1, 1], gap="large")
    with files:
        st.subheader(t("export.files"))
        st.download_button(
            t("export.case"), case_to_yaml(case), file_name=f"{stem}.yaml", mime="application/x-yaml",
            icon=":material/description:", on_click="ignore", key="export_case",
        )
        if isinstance(answer, SolverError):
            st.error(t("export.no_answer", error=esc(answer)))
        else:
            # Every export of an answer is recorded in the audit trail (on_click runs first).
            recorded = functools.partial(_recorder, case, answer)
            # The report is made on the click, outside the script run: the session's language, money
            # style and case label are read now.
            report = functools.partial(_report, case, answer, language(), fmt.money_style() == fmt.OKU, case_source(),
                                       time_limit())
            st.download_button(
                t("export.report_html"), lambda: report_html(report()), file_name=f"{stem}-report.html",
                mime="text/html", icon=":material/article:", type="primary", on_click=recorded("board report HTML"),
                key="export_report_html",
            )
            st.download_button(
                t("export.report_pdf"), lambda: report_pdf(report()), file_name=f"{stem}-report.pdf",
                mime="application/pdf", icon=":material/picture_as_pdf:", on_click=recorded("board report PDF"),
                key="export_report_pdf",
            )
            st.download_button(
                t("export.csv"), render_csv(answer), file_name=f"{stem}-answer.csv", mime="text/csv",
                icon=":material/table:", on_click=recorded("answer CSV"), key="export_csv",
            )
            st.download_button(
                t("export.xlsx"), answer_workbook(answer), file_name=f"{stem}-answer.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                icon=":material/grid_on:", on_click=recorded("answer Excel"), key="export_xlsx",
            )
            record = run_record(case, answer, "export: audit record")
            st.download_button(
                t("export.audit"), json.dumps(record, indent=2, ensure_ascii=False, allow_nan=False),
                file_name=f"{stem}-audit.json", mime="application/json", icon=":material/verified:",
                on_click=recorded("audit record"), key="export_audit",
            )
    with notes:
        st.subheader(t("export.what"))
        st.markdown(t("export.what_text"))

st.divider()
st.subheader(t("export.runs"))
store = workspace()
if store is None:
    st.warning(t("export.no_workspace", error=esc(workspace_error())))
else:
    st.caption(t("export.runs_help", location=code(store.location)))
    runs = store.runs(limit=50)
    if not runs:
        st.info(t("export.no_runs"))
    else:
        st.dataframe(
            pd.DataFrame(
                [
                    {t("export.col_run"): run.id, t("export.col_started"): run.started_utc[:19].replace("T", " "),
                     t("export.col_case"): run.case_name, t("export.col_status"): run.status,
                     t("export.col_cost"): "—" if run.total_cost is None else fmt.money(run.total_cost, case.currency)
                     if case is not None else f"{run.total_cost:,.0f}",
                     t("export.col_hash"): run.case_sha256[:12], t("export.col_by"): run.source}
                    for run in runs
                ]
            ),
            hide_index=True, width="stretch",
        )
        run_id = st.selectbox(t("export.col_run"), [run.id for run in runs], key="export_run")
        st.download_button(
            t("export.run_audit"),
            json.dumps(store.run_record(run_id), indent=2, ensure_ascii=False),
            file_name=f"run-{run_id}-audit.json", mime="application/json", on_click="ignore", key="export_run_audit",
        )
