"""Market page: the instruments on offer as an editable table, checked as you type.

The table imports from and exports to CSV with the case file's field names as columns.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from optimizer import CaseError, check_case
from optimizer.workbench.market_table import (
    COLUMNS,
    instruments_csv,
    instruments_from_csv,
    instruments_to_rows,
    problems_by_row,
    rows_to_instruments,
)
from ui.market_columns import column_config
from ui.state import MAX_UPLOAD_MB, case_data, replace_case, set_notice, update_case, version
from ui.text import code, esc

st.title("Market")
st.caption(
    "One row per instrument: cash, bank guarantees, insurance layers and parametric cover. "
    "Blank cells are fields not given (defaults apply). Rates are fractions a year: 0.035 is 3.5%. "
    "Add a row at the bottom of the table; select rows and press Delete to remove them."
)

data = case_data()
editor_key = f"market_editor_{version()}"
# The editor keeps its edits as changes to the table it was first given; that table must stay
# the same while the editor lives, and be rebuilt from the case when the editor is new (after
# a page switch, which discards the editor's state, or a newly loaded case).
if editor_key not in st.session_state or "market_base" not in st.session_state:
    st.session_state["market_base"] = pd.DataFrame(instruments_to_rows(data.get("instruments", [])), columns=COLUMNS)
edited = st.data_editor(
    st.session_state["market_base"],
    key=editor_key,
    num_rows="dynamic",
    hide_index=True,
    column_config=column_config(str(data.get("currency", ""))),
    width="stretch",
    placeholder="",
)
instruments, row_of = rows_to_instruments(edited.to_dict("records"))
draft = {**data, "instruments": instruments}
if draft != data:
    update_case(draft)

try:
    check_case(draft, "the market")
except CaseError as error:
    rows = problems_by_row(error.problems, row_of)
    lines = []
    for item in rows:
        if item.row is None:
            where = code(item.column) if item.column else "the case"
        else:
            name = edited.iloc[item.row].get("id")
            number = item.row + 1  # rows as a person counts them, from 1
            label = f"row {number} ({esc(name)})" if isinstance(name, str) and name else f"row {number}"
            where = f"{label}, {code(item.column)}" if item.column else label
        lines.append(f"- {where}: {esc(item.message)}")
    st.error(f"**{len(rows)} problem{'s' if len(rows) != 1 else ''} to fix:**\n\n" + "\n".join(lines),
             icon=":material/error:")
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
            st.session_state.pop("market_base", None)
            st.rerun()
