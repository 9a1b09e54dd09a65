"""The Market page's problems: listed by row and field, and shown in their cells.

Each problem names the row as the grid numbers it (``instruments[8]`` is row 9) and the
case field path, as the Case page and the banners on other pages do. Rates are typed in
percent in the grid, so a rate out of range is explained in percent. Below the list, the rows
with problems are shown with each faulty cell highlighted (Streamlit cannot colour the cells
of an editable grid, so the highlight is in a read-only copy of those rows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from optimizer.case.errors import Problem
from ui import format as fmt
from ui.market_grid import RATE_COLUMNS, header, kind_columns
from ui.text import code, esc

_PATH = re.compile(r"^instruments\[(\d+)\](?:\.(\w+))?")
_HIGHLIGHT = "background-color: #fde2e1; color: #8a1c1c; font-weight: 600"


def _message(column: str, problem: Problem, item: Mapping[str, Any]) -> str:
    value = item.get(column)
    if column in RATE_COLUMNS and problem.message.startswith("must be between 0 and 1") and isinstance(
        value, int | float
    ):
        return f"must be between 0% and 100% (got {fmt.rate(value)})"
    return problem.message


def show_market_problems(problems: Sequence[Problem], instruments: Sequence[Mapping[str, Any]]) -> None:
    """The problems of the market as one message, and the faulty rows with their cells marked."""
    lines = []
    cells: dict[int, set[str]] = {}
    for problem in problems:
        found = _PATH.match(problem.path)
        if found is None:
            where = code(problem.path) if problem.path else "the case"
            lines.append(f"- {where}: {esc(problem.message)}")
            continue
        index, column = int(found[1]), found[2] or ""
        item = instruments[index] if index < len(instruments) else {}
        name = item.get("id")
        label = f"Row {index + 1}" + (f" ({esc(name)})" if isinstance(name, str) and name else "")
        lines.append(f"- {label} · {code(problem.path)}: {esc(_message(column, problem, item))}")
        cells.setdefault(index, set()).add(column)
    count = len(problems)
    st.error(f"**{count} problem{'s' if count != 1 else ''} to fix:**\n\n" + "\n".join(lines), icon=":material/error:")
    if cells:
        st.caption("The rows with problems, the faulty cells marked:")
        st.dataframe(_marked(cells, instruments), hide_index=True, width="stretch")


def _marked(cells: Mapping[int, set[str]], instruments: Sequence[Mapping[str, Any]]) -> Any:
    """A read-only table of the faulty rows, each faulty cell highlighted (a pandas Styler)."""
    columns = ["Row", "Id", "Kind"]
    rows = []
    bad: list[tuple[int, str]] = []
    for position, index in enumerate(sorted(cells)):
        item = instruments[index] if index < len(instruments) else {}
        row: dict[str, Any] = {"Row": index + 1, "Id": str(item.get("id") or ""), "Kind": str(item.get("kind") or "")}
        try:
            fields = kind_columns(item.get("kind"))  # type: ignore[arg-type]
        except KeyError:
            fields = sorted(cells[index])
        for column in fields:
            if column == "id":
                continue
            title = header(column)
            value = item.get(column)
            shown = fmt.rate(value) if column in RATE_COLUMNS and isinstance(value, int | float) else value
            row[title] = "" if shown is None else str(shown)
            if title not in columns:
                columns.append(title)
        for column in cells[index]:
            title = {"id": "Id", "kind": "Kind", "": "Id"}.get(column, header(column))
            row.setdefault(title, "(missing)" if item.get(column) is None else str(item.get(column)))
            if title not in columns:
                columns.append(title)
            bad.append((position, title))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=columns).fillna("")

    def style(data: pd.DataFrame) -> pd.DataFrame:
        styles = pd.DataFrame("", index=data.index, columns=data.columns)
        for position, title in bad:
            styles.iloc[position, list(data.columns).index(title)] = _HIGHLIGHT
        return styles

    return frame.style.apply(style, axis=None)
