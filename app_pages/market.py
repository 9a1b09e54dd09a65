"""Market page: the instruments on offer as an editable table, checked as you type.

The table imports from and exports to CSV with the case file's field names as columns.
"""

from __future__ import annotations

import streamlit as st

from optimizer import CaseError, check_case
from optimizer.workbench.market_table import instruments_csv, instruments_from_csv, rows_to_instruments
from ui.market_grid import market_grids, rebuild
from ui.market_problems import show_market_problems
from ui.state import MAX_UPLOAD_MB, case_data, replace_case, set_notice, update_case, version
from ui.text import esc

st.title("Market")
st.caption(
    "The instruments on offer, a table per kind with the fields that apply to it. Rates are in percent "
    "(3.5 is 3.5% a year); blank cells are fields not given (defaults apply). Add a row at the bottom of "
    "a table; select rows and press Delete to remove them. **Row** is the instrument's place in the case: "
    "problems name the same row on every page."
)

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
        st.success(f"{len(instruments)} instruments, all valid.", icon=":material/check_circle:")

# --- CSV in and out ------------------------------------------------------------------------
st.divider()
export, import_ = st.columns(2, gap="large")
with export:
    st.subheader("Export")
    st.download_button(
        "Download the instruments (CSV)",
        instruments_csv(instruments),
        file_name="instruments.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    st.caption("Columns are the case file's field names; open it in a spreadsheet and import it back.")
with import_:
    st.subheader("Import")
    file = st.file_uploader(
        "Instruments CSV",
        type=["csv"],
        max_upload_size=MAX_UPLOAD_MB,
        key=f"market_upload_{version()}",
        help=f"At most {MAX_UPLOAD_MB} MB, with a header row of field names as in the export. "
        "It replaces the table above once every row is valid; until then the table is unchanged.",
    )
    if file is not None:
        try:
            imported, _ = rows_to_instruments(instruments_from_csv(file.getvalue(), file.name))
            check_case({**data, "instruments": imported}, file.name)
        except CaseError as error:
            count = len(error.problems)
            listed = "\n".join(f"- {esc(problem)}" for problem in error.problems)
            st.error(f"**{esc(file.name)} was not imported: {count} problem{'s' if count != 1 else ''}:**\n\n{listed}",
                     icon=":material/error:")
        else:
            replace_case({**data, "instruments": imported}, f"{data.get('name', 'case')} with {file.name}")
            set_notice(f"Imported {len(imported)} instruments from {esc(file.name)}.")
            rebuild()
            st.rerun()
