"""Case page: start from an example or a file; edit the exchange, the rule and the test.

The requirement R is shown with how it is made up and how each instrument counts towards it.
"""

from __future__ import annotations

import copy

import streamlit as st

from optimizer import CaseError, Problem, case_from_bytes
from ui.case_form import exchange_inputs, policy_inputs, requirement_inputs
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
    update_case,
    version,
)
from ui.text import esc
from ui.views import show_problems

st.title("Case")
st.caption(
    "Who the exchange is, which rule sets its liability reserve R, and how cover is tested against it. "
    "The instruments on offer are on the **Market** page."
)

# --- start from an example or a file -------------------------------------------------------
start, upload = st.columns(2, gap="large")
with start:
    st.subheader("Start from an example")
    names = example_names()
    chosen = st.selectbox(
        "Example case",
        names,
        format_func=lambda name: f"{example_data(name)['name']}  ({name})",
        key="example_choice",
    )
    if st.button("Load example", icon=":material/upload_file:", key="load_example"):
        replace_case(example_data(chosen), f"example {chosen}", f"Loaded the example {esc(chosen)}.")
        st.rerun()

with upload:
    st.subheader("Or upload a case file")
    # A rejected file is cleared from the uploader (a new key) and its problems kept until the
    # next upload, so a second file never shows the first one's errors.
    attempt = int(st.session_state.get("_upload_attempt", 0))
    file = st.file_uploader(
        "Case file (YAML or JSON)",
        type=["yaml", "yml", "json"],
        max_upload_size=MAX_UPLOAD_MB,
        key=f"case_upload_{version()}_{attempt}",
        help=f"A case file as written by `reserve-opt` or exported from this app, at most {MAX_UPLOAD_MB} MB. "
        "Every problem in it is listed; the case you have open stays as it is until a valid file loads.",
    )
    if file is not None:
        st.session_state.pop("_upload_rejected", None)
        raw = file.getvalue()
        file_format = "json" if file.name.lower().endswith(".json") else "yaml"
        try:
            if len(raw) > MAX_UPLOAD_BYTES:
                # The browser enforces the limit too; this guards other clients and tests.
                size = f"{len(raw):,} bytes"
                raise CaseError([Problem("", f"the file is {size}, over the {MAX_UPLOAD_MB} MB limit")], file.name)
            loaded = case_from_bytes(raw, file.name, file_format)
        except CaseError as error:
            st.session_state["_upload_rejected"] = (file.name, error)
            st.session_state["_upload_attempt"] = attempt + 1
            st.rerun()
        else:
            replace_case(loaded.model_dump(mode="json"), f"upload {file.name}", f"Loaded {esc(file.name)}.")
            st.rerun()
    rejected = st.session_state.get("_upload_rejected")
    if rejected is not None:
        name, error = rejected
        show_problems(error, f"{esc(name)} was not loaded: it has {len(error.problems)} problem(s)")
        st.caption("The case you had open is unchanged.")

st.divider()

# --- edit the case ---------------------------------------------------------------------------
data = copy.deepcopy(case_data())
problems = st.container()  # filled once the widgets below have given this run's edits

identity, rule = st.columns([1, 1], gap="large")
with identity:
    st.subheader("Exchange")
    data["name"] = st.text_input("Case name", value=data.get("name", ""), key=f"case_name_{version()}")
    label = st.text_input(
        "Name this version (optional)", value=case_label(), key=f"case_label_{version()}", max_chars=120,
        placeholder="e.g. Board proposal, March", help="How this version of the case is labelled on every page "
        "and in the audit trail. An edited case is marked as edited, with its SHA-256, whether named or not.",
    )
    if label != case_label():
        set_case_label(label)
    data["currency"] = st.text_input(
        "Currency (ISO 4217)",
        value=data.get("currency", ""),
        max_chars=3,
        key=f"case_currency_{version()}",
        help="Every amount in the case is in this currency.",
    ).strip()
    exchange_inputs(data)
with rule:
    st.subheader("Requirement and coverage test")
    requirement_inputs(data)
    policy_inputs(data)

if data != case_data():
    update_case(data)
checked = current_case()
if isinstance(checked, CaseError):
    with problems:
        show_problems(checked, open_case=True)

st.divider()
st.subheader("The requirement R")
case = current_case()
if isinstance(case, CaseError):
    st.info("R is shown once the problems above are fixed.")
else:
    show_requirement(case)
