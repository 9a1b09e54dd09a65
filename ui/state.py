"""Per-session state: the case being edited, the what-if levers, and widget resets.

The case is kept as raw data (the JSON form of a case file), the draft the user is editing;
``current_case`` checks it every time, so a value typed on one page is validated with the
same messages as a file. Widgets are keyed with a version number that ``replace_case``
bumps, so loading another case shows its values instead of the old widgets' state.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import streamlit as st

from optimizer import Case, CaseError, check_case, load_case
from optimizer.workbench.variants import Levers

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "data" / "examples"
DEFAULT_EXAMPLE = "jp-midsize.yaml"
MAX_UPLOAD_MB = 1
"""Largest case or CSV file the app accepts, in megabytes (stated in the uploaders' help)."""
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1_000_000

_CASE = "case_data"
_SOURCE = "case_source"
_VERSION = "case_version"
_LEVERS = "levers"
_NOTICE = "notice"


@st.cache_data(show_spinner=False)
def example_names() -> list[str]:
    """File names of the shipped example cases, the default first."""
    names = sorted(path.name for path in EXAMPLES_DIR.glob("*.yaml"))
    return sorted(names, key=lambda name: name != DEFAULT_EXAMPLE)


@st.cache_data(show_spinner=False)
def example_data(name: str) -> dict[str, Any]:
    """The raw data of one example case (cached: examples do not change while the app runs)."""
    data: dict[str, Any] = load_case(EXAMPLES_DIR / name).model_dump(mode="json")
    return data


def init_session() -> None:
    """Start a new session on the default example, so every page has something to show."""
    if _CASE not in st.session_state:
        st.session_state[_CASE] = example_data(DEFAULT_EXAMPLE)
        st.session_state[_SOURCE] = f"example {DEFAULT_EXAMPLE}"
        st.session_state[_VERSION] = 0
        st.session_state[_LEVERS] = Levers()


def snapshot() -> dict[str, Any]:
    """What a reload must bring back: the case being edited, where it came from, the levers."""
    return {
        "case": case_data(),
        "source": case_source(),
        "levers": levers().to_dict(),
    }


def restore(state: dict[str, Any]) -> None:
    """Put a snapshot back in place (a reload of a session whose work was autosaved)."""
    st.session_state[_CASE] = state["case"]
    st.session_state[_SOURCE] = str(state.get("source", "the case"))
    st.session_state[_VERSION] = version() + 1
    st.session_state[_LEVERS] = Levers.from_dict(state.get("levers") or {})


def start_over() -> None:
    """Back to the default example with untouched levers, as a new session starts."""
    replace_case(example_data(DEFAULT_EXAMPLE), f"example {DEFAULT_EXAMPLE}", "Started over from the example.")


def case_data() -> dict[str, Any]:
    """The raw data of the case being edited (a draft: it may not be valid)."""
    data: dict[str, Any] = st.session_state[_CASE]
    return data


def case_source() -> str:
    """Where the case came from, in words."""
    return str(st.session_state.get(_SOURCE, "the case"))


def version() -> int:
    """The widget version: part of every case widget's key."""
    return int(st.session_state.get(_VERSION, 0))


def update_case(data: dict[str, Any]) -> None:
    """Store an edit made through the widgets (they already show it: no reset)."""
    st.session_state[_CASE] = data


def replace_case(data: dict[str, Any], source: str, notice: str = "") -> None:
    """Put another case in place (loaded, uploaded, fixed): reset widgets and levers."""
    st.session_state[_CASE] = data
    st.session_state[_SOURCE] = source
    st.session_state[_VERSION] = version() + 1
    st.session_state[_LEVERS] = Levers()
    if notice:
        st.session_state[_NOTICE] = notice


def pop_notice() -> str:
    """A message left by the previous run (for example "loaded example X"), once."""
    return str(st.session_state.pop(_NOTICE, ""))


def set_notice(text: str) -> None:
    """Leave a message for the next run to show."""
    st.session_state[_NOTICE] = text


def case_json(data: dict[str, Any]) -> str:
    """A canonical text form of raw case data: the key of the solution memo."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)


def current_case() -> Case | CaseError:
    """The edited case, checked; or the error listing every problem with it."""
    data = case_data()
    key = case_json(data)
    memo = st.session_state.get("_checked")
    if memo is not None and memo[0] == key:
        result: Case | CaseError = memo[1]
        return result
    try:
        result = check_case(data, "the case")
    except CaseError as error:
        result = error
    st.session_state["_checked"] = (key, result)
    return result


def levers() -> Levers:
    """The what-if levers of this session."""
    value: Levers = st.session_state.get(_LEVERS, Levers())
    return value


def set_levers(value: Levers) -> None:
    """Store the what-if levers."""
    st.session_state[_LEVERS] = value
