"""Case page: start from an example or a file; edit the exchange, the rule and the test.

The requirement R is shown with how it is made up and how each instrument counts towards it.
"""

from __future__ import annotations

import copy

import streamlit as st

from optimizer import CaseError, Problem, case_from_bytes
from ui.case_form import exchange_inputs, policy_inputs, requirement_inputs
from ui.i18n import t
from ui.requirement_view import show_requirement
from ui.state import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_MB,
    case_data,
    case_label,
    current_case,
    example_data,
    example_names,
    replace_case,
    set_case_label,
    source_of,
    update_case,
    version,
)
from ui.text import esc
from ui.views import show_problems

st.title(t("case.title"))
st.caption(t("case.intro"))

# --- start from an example or a file -------------------------------------------------------
start, upload = st.columns(2, gap="large")
with start:
    st.subheader(t("case.start"))
    names = example_names()
    chosen = st.selectbox(
        t("case.example"),
        names,
        format_func=lambda name: f"{example_data(name)['name']}  ({name})",
        key="example_choice",
    )
    if st.button(t("case.load"), icon=":material/upload_file:", key="load_example"):
        replace_case(example_data(chosen), source_of("source.example", name=chosen),
                     t("notice.loaded_example", name=esc(chosen)))
        st.rerun()

with upload:
    st.subheader(t("case.upload"))
    # A rejected file is cleared from the uploader (a new key) and its problems kept until the
    # next upload, so a second file never shows the first one's errors.
    attempt = int(st.session_state.get("_upload_attempt", 0))
    file = st.file_uploader(
        t("case.file"),
        type=["yaml", "yml", "json"],
        max_upload_size=MAX_UPLOAD_MB,
        key=f"case_upload_{version()}_{attempt}",
        help=t("case.file_help", mb=MAX_UPLOAD_MB),
    )
    if file is not None:
        st.session_state.pop("_upload_rejected", None)
        raw = file.getvalue()
        file_format = "json" if file.name.lower().endswith(".json") else "yaml"
        try:
            if len(raw) > MAX_UPLOAD_BYTES:
                # The browser enforces the limit too; this guards other clients and tests.
                size = f"{len(raw):,} bytes"
                raise CaseError([Problem("", t("case.too_big", size=size, mb=MAX_UPLOAD_MB))], file.name)
            loaded = case_from_bytes(raw, file.name, file_format)
        except CaseError as error:
            st.session_state["_upload_rejected"] = (file.name, error)
            st.session_state["_upload_attempt"] = attempt + 1
            st.rerun()
        else:
            replace_case(loaded.model_dump(mode="json"), source_of("source.upload", name=file.name),
                         t("notice.loaded", name=esc(file.name)))
            st.rerun()
    rejected = st.session_state.get("_upload_rejected")
    if rejected is not None:
        name, error = rejected
        show_problems(error, t("case.not_loaded", name=esc(name), count=len(error.problems)))
        st.caption(t("case.unchanged"))

st.divider()

# --- edit the case ---------------------------------------------------------------------------
data = copy.deepcopy(case_data())
problems = st.container()  # filled once the widgets below have given this run's edits

identity, rule = st.columns([1, 1], gap="large")
with identity:
    st.subheader(t("case.exchange"))
    data["name"] = st.text_input(t("case.name"), value=data.get("name", ""), key=f"case_name_{version()}")
    label = st.text_input(
        t("case.label"), value=case_label(), key=f"case_label_{version()}", max_chars=120,
        placeholder=t("case.label_placeholder"), help=t("case.label_help"),
    )
    if label != case_label():
        set_case_label(label)
    data["currency"] = st.text_input(
        t("case.currency"),
        value=data.get("currency", ""),
        max_chars=3,
        key=f"case_currency_{version()}",
        help=t("case.currency_help"),
    ).strip()
    exchange_inputs(data)
with rule:
    st.subheader(t("case.requirement_and_test"))
    requirement_inputs(data)
    policy_inputs(data)

if data != case_data():
    update_case(data)
checked = current_case()
if isinstance(checked, CaseError):
    with problems:
        show_problems(checked, open_case=True)

st.divider()
st.subheader(t("case.requirement"))
case = current_case()
if isinstance(case, CaseError):
    st.info(t("case.fix_first"))
else:
    show_requirement(case)
