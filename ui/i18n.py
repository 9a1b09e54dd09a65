"""The session's language: ``t("case.title")`` is the page's words in English or Japanese.

The words live in the catalogues ``optimizer/workbench/locales/en.toml`` and ``ja.toml``
(shared with the board report); pages hold only keys. Placeholders are filled with
``t("key", name=value)``; a value that is user text going into Markdown is escaped first
(``ui.text.esc``), like any other user text (docs/app-conventions.md).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from optimizer.workbench.i18n import DEFAULT, LANGUAGES, catalogue, text

_LANGUAGE = "language"


def language() -> str:
    """The session's language code ("en" or "ja")."""
    chosen = str(st.session_state.get(_LANGUAGE, DEFAULT))
    return chosen if chosen in LANGUAGES else DEFAULT


def set_language(code: str) -> None:
    """Switch the session's language (unknown codes are ignored)."""
    if code in LANGUAGES:
        st.session_state[_LANGUAGE] = code


def t(key: str, **values: Any) -> str:
    """The message ``key`` in the session's language, placeholders filled from ``values``."""
    return text(language(), key, **values)


def has_message(key: str) -> bool:
    """True when the catalogue has ``key`` (for names that come from data, such as case fields)."""
    return key in catalogue(DEFAULT)
