"""The Market page's grids: one editable table per kind of instrument, in the units people use.

Each kind gets only the columns that apply to it (a cash line has no attachment), with
readable headers, the id pinned on the left and a "Row" column that numbers instruments in
the case's order from 1: ``instruments[8]`` is row 9 on every page. Rates are shown and
typed in percent (3.5 means 3.5%) and stored as fractions; money columns carry the currency
sign and thousands separators.

An editor keeps its edits as changes to the table it was first given, so that table (the
"base") stays fixed while the editor lives. When rows are added or removed the row numbers
change: the bases are rebuilt (new editor keys) so the Row column stays true.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from optimizer.case.money import symbol
from optimizer.case.schema import Cash, Guarantee, Insurance, Kind, Parametric
from optimizer.workbench.market_table import BOOL_COLUMNS, COLUMNS, INT_COLUMNS, rows_to_instruments
from ui.i18n import has_message, language, t
from ui.state import version

MODELS: Mapping[Kind, Any] = {Kind.CASH: Cash, Kind.GUARANTEE: Guarantee, Kind.INSURANCE: Insurance,
                              Kind.PARAMETRIC: Parametric}
RATE_COLUMNS = frozenset({"cost_rate", "fee_rate", "premium_rate", "max_share", "min_share", "credit"})
"""Fractions in the case file, percentages in the grid."""
MONEY_COLUMNS = frozenset({"premium", "max_amount", "attachment", "limit", "aggregate_limit", "trigger", "payout"})
ROW = "row"
_BASES = "_market_bases"
_GENERATION = "_market_generation"


def header(column: str, currency: str = "") -> str:
    """The readable header of a case field, with the currency sign for money."""
    # A field added to the case format before the catalogue knows it still gets a header.
    text = t(f"grid.{column}") if has_message(f"grid.{column}") else column.replace("_", " ").capitalize()
    sign = symbol(currency).strip() if currency else ""
    return f"{text} ({sign})" if column in MONEY_COLUMNS and sign else text


def kind_columns(kind: Kind) -> list[str]:
    """The case fields an instrument of this kind has, in the table's reading order."""
    fields = MODELS[kind].model_fields
    return [column for column in COLUMNS if column in fields and column != "kind"]


def _to_percent(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return round(value * 100, 10)
    return value


def _from_percent(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool) and not math.isnan(value):
        return round(value / 100, 12)
    return value


def base_frame(kind: Kind, instruments: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The grid of one kind: its instruments (with their case row number), rates in percent."""
    columns = kind_columns(kind)
    rows = []
    for index, item in enumerate(instruments):
        if item.get("kind") != kind.value:
            continue
        row: dict[str, Any] = {ROW: index + 1}
        for column in columns:
            value = item.get(column)
            row[column] = _to_percent(value) if column in RATE_COLUMNS else value
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[ROW, *columns])
    for column in columns:
        if column in BOOL_COLUMNS:
            frame[column] = frame[column].astype("boolean")
        elif column in {"id", "counterparty", "description"}:
            frame[column] = frame[column].astype("object")
        else:
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    frame[ROW] = frame[ROW].astype("Int64")
    return frame


def column_config(kind: Kind, currency: str) -> dict[str, Any]:
    """Headers, formats, units and help for one kind's grid."""
    model = MODELS[kind]
    config: dict[str, Any] = {
        ROW: st.column_config.NumberColumn(t("grid.row"), disabled=True, format="%d", width="small", pinned=True,
                                           help=t("grid.row_help")),
    }
    for column in kind_columns(kind):
        info = model.model_fields[column]
        help_text = t("grid.help", description=info.description or "", field=column).strip()
        label = header(column, currency)
        if column == "id":
            config[column] = st.column_config.TextColumn(label, required=True, pinned=True, help=help_text)
        elif column in BOOL_COLUMNS:
            config[column] = st.column_config.CheckboxColumn(label, help=help_text)
        elif column in INT_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, min_value=0, step=1, format="%d", help=help_text)
        elif column in RATE_COLUMNS:
            config[column] = st.column_config.NumberColumn(
                label, min_value=0.0, step=0.0001, format="%.4g%%", help=help_text + " " + t("grid.percent")
            )
        elif column == "max_units":
            config[column] = st.column_config.NumberColumn(label, min_value=0, format="localized", help=help_text)
        elif column in MONEY_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, step=1, format="localized", help=help_text)
        else:
            config[column] = st.column_config.TextColumn(label, help=help_text)
    return config


def _generation() -> int:
    return int(st.session_state.get(_GENERATION, 0))


def rebuild() -> None:
    """Make the grids again from the case (after rows were added or removed, or a new case)."""
    st.session_state[_GENERATION] = _generation() + 1
    st.session_state.pop(_BASES, None)


def market_grids(data: Mapping[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """Draw a grid per kind; the instruments they hold now, and whether rows were added or removed."""
    instruments = list(data.get("instruments") or [])
    currency = str(data.get("currency") or "")
    suffix = f"{version()}_{_generation()}_{language()}"  # headers are in the session's language
    bases: dict[str, pd.DataFrame] | None = st.session_state.get(_BASES)
    # A page switch discards the editors' state: the bases must be made again with them.
    if bases is None or bases.get("_suffix") != suffix or f"market_{Kind.CASH.value}_{suffix}" not in st.session_state:
        bases = {"_suffix": suffix, **{kind.value: base_frame(kind, instruments) for kind in MODELS}}  # type: ignore[dict-item]
        st.session_state[_BASES] = bases
    placed: list[tuple[float, dict[str, Any]]] = []
    changed_rows = False
    for order, kind in enumerate(MODELS):
        base = bases[kind.value]
        st.markdown(f"**{t(f'grid.title_{kind.value}')}** ({len(base)})")
        edited = st.data_editor(
            base,
            key=f"market_{kind.value}_{suffix}",
            num_rows="dynamic",
            hide_index=True,
            column_config=column_config(kind, currency),
            width="stretch",
            placeholder="",
        )
        records = edited.to_dict("records")
        kept = {int(record[ROW]) for record in records if _present(record.get(ROW))}
        original = {int(row) for row in base[ROW].dropna()}
        changed_rows |= kept != original
        for record in records:
            row = record.pop(ROW, None)
            for column in RATE_COLUMNS & record.keys():
                record[column] = _from_percent(record[column])
            items, _ = rows_to_instruments([record])
            if not items:
                continue  # a wholly blank new row
            changed_rows |= not _present(row)
            # New rows go after every existing one, kind by kind, in the order they were added.
            position = float(row) if _present(row) else len(instruments) + 1 + order * 1e6 + len(placed) / 1e3
            placed.append((position, {"kind": kind.value, **items[0]}))
    placed.sort(key=lambda pair: pair[0])
    return [item for _, item in placed], changed_rows


def _present(value: Any) -> bool:
    return value is not None and value is not pd.NA and not (isinstance(value, float) and math.isnan(value))
