"""Per-session state: the case being edited, the what-if levers, and widget resets.

The case is kept as raw data (the JSON form of a case file), the draft the user is editing;
``current_case`` checks it every time, so a value typed on one page is validated with the
same messages as a file. Widgets are keyed with a version number that ``replace_case``
bumps, so loading another case shows its values instead of the old widgets' state.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import streamlit as st

from optimizer import Case, CaseError, check_case, load_case
from optimizer.workbench.variants import Levers
from ui.format import WESTERN, money_style, set_money_style
from ui.i18n import language, set_language, t

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
_ORIGIN = "case_origin"
"""The canonical JSON of the case as it was loaded: what "edited" is measured against."""
_LABEL = "case_label"
_LAST_VALID = "_last_valid_case"


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
        st.session_state[_SOURCE] = source_of("source.example", name=DEFAULT_EXAMPLE)
        st.session_state[_ORIGIN] = case_json(st.session_state[_CASE])
        st.session_state[_VERSION] = 0
        st.session_state[_LEVERS] = Levers()


def snapshot() -> dict[str, Any]:
    """What a reload must bring back: the case being edited, where it came from, the levers."""
    return {
        "case": case_data(),
        "source": st.session_state.get(_SOURCE, ""),
        "origin": st.session_state.get(_ORIGIN),
        "label": case_label(),
        "levers": levers().to_dict(),
        "language": language(),
        "money_style": money_style(),
    }


def restore(state: dict[str, Any]) -> None:
    """Put a snapshot back in place (a reload of a session whose work was autosaved)."""
    st.session_state[_CASE] = state["case"]
    st.session_state[_SOURCE] = state.get("source", "")
    st.session_state[_ORIGIN] = state.get("origin") or case_json(state["case"])
    st.session_state[_LABEL] = str(state.get("label") or "")
    st.session_state[_VERSION] = version() + 1
    st.session_state[_LEVERS] = Levers.from_dict(state.get("levers") or {})
    set_language(str(state.get("language") or "en"))
    set_money_style(str(state.get("money_style") or WESTERN))


def start_over() -> None:
    """Back to the default example with untouched levers, as a new session starts."""
    replace_case(example_data(DEFAULT_EXAMPLE), source_of("source.example", name=DEFAULT_EXAMPLE),
                 t("notice.started_over"))


Source = dict[str, str]
"""Where a case came from: a catalogue key ("source.example") and its values, in words on demand."""


def source_of(key: str, **values: str) -> Source:
    """A case's origin, kept as a catalogue key so it reads in the session's language."""
    return {"key": key, **values}


def _source_text(source: Any) -> str:
    if isinstance(source, dict) and "key" in source:
        return t(str(source["key"]), **{name: value for name, value in source.items() if name != "key"})
    return str(source)


def case_data() -> dict[str, Any]:
    """The raw data of the case being edited (a draft: it may not be valid)."""
    data: dict[str, Any] = st.session_state[_CASE]
    return data


def case_source() -> str:
    """The case in words for captions and the audit trail: its name or origin, and whether edited.

    "example jp-midsize.yaml" as loaded; "example jp-midsize.yaml, edited (SHA-256 3f2a9c1b0d2e)"
    once changed; "Board proposal (edited from example jp-midsize.yaml, SHA-256 ...)" once the
    user has named the version.
    """
    origin = _source_text(st.session_state.get(_SOURCE, ""))
    label = case_label()
    if not is_edited():
        return t("source.named", label=label, origin=origin) if label else origin
    checked = current_case()
    digest = f"SHA-256 {case_hash(checked)[:12]}" if isinstance(checked, Case) else t("source.not_valid")
    if label:
        return t("source.named_edited", label=label, origin=origin, digest=digest)
    return t("source.edited", origin=origin, digest=digest)


def is_edited() -> bool:
    """True when the case differs from the one loaded (example, file, scenario, fix).

    Both are compared as checked cases, so a widget that writes 1e10 where the file said
    10_000_000_000 is no edit.
    """
    origin = st.session_state.get(_ORIGIN)
    if origin is None:
        return False
    return _normal(origin) != _normal(case_json(case_data()))


def _normal(text: str) -> str:
    memo: dict[str, str] = st.session_state.setdefault("_normal_json", {})
    if text not in memo:
        if len(memo) > 8:
            memo.clear()
        try:
            memo[text] = case_json(check_case(json.loads(text), "the case").model_dump(mode="json"))
        except CaseError:
            memo[text] = text
    return memo[text]


def case_hash(case: Case) -> str:
    """SHA-256 of the case's canonical JSON: the hash its audit record carries."""
    return hashlib.sha256(case_json(case.model_dump(mode="json")).encode("utf-8")).hexdigest()


def case_label() -> str:
    """The name the user gave this version of the case ("" if none)."""
    return str(st.session_state.get(_LABEL, ""))


def set_case_label(text: str) -> None:
    """Name this version of the case (kept until another case is loaded)."""
    st.session_state[_LABEL] = " ".join(text.split())[:120]


def version() -> int:
    """The widget version: part of every case widget's key."""
    return int(st.session_state.get(_VERSION, 0))


def refresh_widgets() -> None:
    """Make every case widget anew from the case (after a language switch: their labels change)."""
    st.session_state[_VERSION] = version() + 1


def update_case(data: dict[str, Any]) -> None:
    """Store an edit made through the widgets (they already show it: no reset)."""
    st.session_state[_CASE] = data


def replace_case(data: dict[str, Any], source: Source | str, notice: str = "") -> None:
    """Put another case in place (loaded, uploaded, fixed): reset widgets and levers."""
    st.session_state[_CASE] = data
    st.session_state[_SOURCE] = source
    st.session_state[_ORIGIN] = case_json(data)
    st.session_state[_LABEL] = ""
    st.session_state.pop(_LAST_VALID, None)
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
    if isinstance(result, Case):
        st.session_state[_LAST_VALID] = result
    return result


def working_case() -> tuple[Case | None, CaseError | None]:
    """The case the pages work on, and the edited case's problems if it has any.

    While the edited case has problems (a half-typed Market row), the pages keep showing the
    last valid version of it, with a banner saying what is wrong; None before any was valid.
    """
    checked = current_case()
    if isinstance(checked, Case):
        return checked, None
    last: Case | None = st.session_state.get(_LAST_VALID)
    return last, checked


def levers() -> Levers:
    """The what-if levers of this session."""
    value: Levers = st.session_state.get(_LEVERS, Levers())
    return value


def set_levers(value: Levers) -> None:
    """Store the what-if levers."""
    st.session_state[_LEVERS] = value
