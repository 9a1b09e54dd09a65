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
from ui.i18n import t
from ui.market_grid import RATE_COLUMNS, header, kind_columns
from ui.messages import problem_message
from ui.text import code, esc

_PATH = re.compile(r"^instruments\[(\d+)\](?:\.(\w+))?")
_HIGHLIGHT = "background-color: #fde2e1; color: #8a1c1c; font-weight: 600"


def _message(column: str, problem: Problem, item: Mapping[str, Any]) -> str:
    value = item.get(column)
    if column in RATE_COLUMNS and problem.message.startswith("must be between 0 and 1") and isinstance(
        value, int | float
    ):
        return t("market.rate_range", value=fmt.rate(value))
    return problem_message(problem)


def show_market_problems(problems: Sequence[Problem], instruments: Sequence[Mapping[str, Any]]) -> None:
    """The problems of the market as one message, and the faulty rows with their cells marked."""
    lines = []
    cells: dict[int, set[str]] = {}
    for problem in problems:
        found = _PATH.match(problem.path)
        if found is None:
            where = code(problem.path) if problem.path else t("problems.whole_case")
            lines.append(f"- {where}: {esc(problem_message(problem))}")
            continue
        index, column = int(found[1]), found[2] or ""
        item = instruments[index] if index < len(instruments) else {}
        name = item.get("id")
        label = t("market.row", row=index + 1) + (f" ({esc(name)})" if isinstance(name, str) and name else "")
        lines.append(f"- {label} · {code(problem.path)}: {esc(_message(column, problem, item))}")
        cells.setdefault(index, set()).add(column)
    count = len(problems)
    st.error(t("market.problems", count=count) + "\n\n" + "\n".join(lines), icon=":material/error:")
    if cells:
        st.caption(t("market.marked"))
        st.dataframe(_marked(cells, instruments), hide_index=True, width="stretch")


def _marked(cells: Mapping[int, set[str]], instruments: Sequence[Mapping[str, Any]]) -> Any:
    """A read-only table of the faulty rows, each faulty cell highlighted (a pandas Styler)."""
    columns = [t("grid.row"), t("grid.id"), t("grid.kind")]
    rows = []
    bad: list[tuple[int, str]] = []
    for position, index in enumerate(sorted(cells)):
        item = instruments[index] if index < len(instruments) else {}
        row: dict[str, Any] = {columns[0]: index + 1, columns[1]: str(item.get("id") or ""),
                               columns[2]: str(item.get("kind") or "")}
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
            title = {"id": columns[1], "kind": columns[2], "": columns[1]}.get(column) or header(column)
            row.setdefault(title, t("market.missing") if item.get(column) is None else str(item.get(column)))
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
