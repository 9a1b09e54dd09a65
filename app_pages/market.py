"""Market page: the instruments on offer as editable tables, one per kind, checked as you type.

The tables import from and export to CSV and Excel with the case file's field names as columns.
"""

from __future__ import annotations

import streamlit as st

from optimizer import CaseError, check_case
from optimizer.workbench.market_excel import instruments_from_xlsx, instruments_xlsx
from optimizer.workbench.market_table import instruments_csv, instruments_from_csv, rows_to_instruments
from ui.i18n import t
from ui.market_grid import market_grids, rebuild
from ui.market_problems import show_market_problems
from ui.state import MAX_UPLOAD_MB, case_data, replace_case, set_notice, source_of, update_case, version
from ui.text import esc

st.title(t("market.title"))
st.caption(t("market.intro"))

data = case_data()
problems_box = st.container()
instruments, rows_changed = market_grids(data)
draft = {**data, "instruments": instruments}
if draft != data:
    update_case(draft)
if rows_changed:
    rebuild()  # renumber the Row column
    st.rerun()

with problems_box:
    try:
        check_case(draft, "the market")
    except CaseError as error:
        show_market_problems(error.problems, instruments)
    else:
        st.success(t("market.valid", count=len(instruments)), icon=":material/check_circle:")

# --- CSV and Excel in and out -------------------------------------------------------------
st.divider()
export, import_ = st.columns(2, gap="large")
with export:
    st.subheader(t("market.export"))
    st.download_button(
        t("market.download_csv"), instruments_csv(instruments), file_name="instruments.csv", mime="text/csv",
        icon=":material/download:", on_click="ignore", key="market_csv",
    )
    st.download_button(
        t("market.download_xlsx"), instruments_xlsx(instruments, str(data.get("currency") or "")),
        file_name="instruments.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/grid_on:", on_click="ignore", key="market_xlsx",
    )
    st.caption(t("market.export_help"))
with import_:
    st.subheader(t("market.import"))
    file = st.file_uploader(
        t("market.file"),
        type=["csv", "xlsx"],
        max_upload_size=MAX_UPLOAD_MB,
        key=f"market_upload_{version()}",
        help=t("market.file_help", mb=MAX_UPLOAD_MB),
    )
    if file is not None:
        try:
            raw = file.getvalue()
            reader = instruments_from_xlsx if file.name.lower().endswith(".xlsx") else instruments_from_csv
            imported, _ = rows_to_instruments(reader(raw, file.name))
            check_case({**data, "instruments": imported}, file.name)
        except CaseError as error:
            count = len(error.problems)
            listed = "\n".join(f"- {esc(problem)}" for problem in error.problems)
            st.error(t("market.not_imported", name=esc(file.name), count=count) + f"\n\n{listed}",
                     icon=":material/error:")
        else:
            replace_case({**data, "instruments": imported},
                         source_of("source.imported", source=str(data.get("name", "")), name=file.name))
            set_notice(t("notice.imported", count=len(imported), name=esc(file.name)))
            rebuild()
            st.rerun()
