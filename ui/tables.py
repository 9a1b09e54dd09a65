"""Tables on the page: every column wide enough for its longest cell, so no text is cut off.

``st.dataframe`` gives each column a default width and cuts longer text with an ellipsis.
``show_table`` sizes each text column to its longest cell (up to a limit, past which the
cell's full text is still in its tooltip) and keeps the rest of ``st.dataframe``'s features
(sorting, search, download). Pages show tables through it (docs/app-conventions.md).
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pandas as pd
import streamlit as st

_CHAR_PX = 7.5
"""Average width of a character of the table font, in pixels (a little generous)."""
_MAX_PX = 640
_MIN_PX = 60


def _width(text: str) -> int:
    """Width of ``text`` in Latin characters: Japanese (East Asian wide) characters count two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def column_widths(frame: pd.DataFrame) -> dict[str, int]:
    """Pixel width per column: its longest cell or header, within [60, 640]."""
    widths = {}
    for column in frame.columns:
        cells = [str(value) for value in frame[column].tolist()] + [str(column)]
        longest = max(_width(text) for text in cells)
        widths[str(column)] = int(min(_MAX_PX, max(_MIN_PX, longest * _CHAR_PX + 24)))
    return widths


def show_table(frame: pd.DataFrame, config: dict[str, Any] | None = None, **options: Any) -> None:
    """``st.dataframe`` without the index, each column as wide as its text needs."""
    settings: dict[str, Any] = {}
    for column, width in column_widths(frame).items():
        settings[column] = st.column_config.Column(width=width)
    settings.update(config or {})
    st.dataframe(frame, hide_index=True, column_config=settings, **options)


def static_table(frame: pd.DataFrame, links: frozenset[str] = frozenset()) -> None:
    """A small table drawn as plain HTML (``st.table``): every cell wraps, nothing is cut.

    Cheaper to draw than ``st.dataframe`` (no grid component to load), so pages that open on
    small tables use it. Its cells are Markdown, so each is escaped (``ui.text.esc``); a cell of
    a ``links`` column that is an http(s) address becomes a link showing the address.
    """
    from ui.text import esc

    def cell(column: str, value: object) -> str:
        text = "" if value is None else str(value)
        if column in links and text.startswith(("https://", "http://")) and " " not in text:
            return f"[{esc(text)}](<{text.replace('>', '%3E')}>)"
        return esc(text)

    shown = pd.DataFrame(
        {esc(column): [cell(str(column), value) for value in frame[column]] for column in frame.columns}
    )
    st.table(shown, hide_index=True)
