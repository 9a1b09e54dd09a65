"""How each column of the Market table is shown and edited (types, formats, help)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from optimizer.case.money import symbol
from optimizer.case.schema import Cash, Guarantee, Insurance, Kind, Parametric
from optimizer.workbench.market_table import BOOL_COLUMNS, COLUMNS, INT_COLUMNS, NUMBER_COLUMNS

_RATE_COLUMNS = {"cost_rate", "fee_rate", "premium_rate", "max_share", "min_share", "credit"}
_APPLIES = {
    Kind.CASH: Cash,
    Kind.GUARANTEE: Guarantee,
    Kind.INSURANCE: Insurance,
    Kind.PARAMETRIC: Parametric,
}


def _help(column: str) -> str:
    """The field's own documentation, and which kinds of instrument use it."""
    kinds = [kind.value for kind, model in _APPLIES.items() if column in model.model_fields]
    description = ""
    for kind in kinds:
        info = _APPLIES[Kind(kind)].model_fields[column]
        if info.description:
            description = info.description
            break
    return f"{description} ({', '.join(kinds)})" if kinds else description


def column_config(currency: str) -> dict[str, Any]:
    """Column settings for ``st.data_editor``: kinds as a menu, money with separators."""
    sign = symbol(currency).strip() if currency else ""
    config: dict[str, Any] = {}
    for column in COLUMNS:
        help_text = _help(column)
        if column == "kind":
            config[column] = st.column_config.SelectboxColumn(
                "kind", options=[kind.value for kind in Kind], required=True, help=help_text
            )
        elif column in BOOL_COLUMNS:
            config[column] = st.column_config.CheckboxColumn(column, help=help_text)
        elif column in INT_COLUMNS:
            config[column] = st.column_config.NumberColumn(column, min_value=0, step=1, format="%d", help=help_text)
        elif column in _RATE_COLUMNS:
            config[column] = st.column_config.NumberColumn(column, step=0.0001, format="%.4f", help=help_text)
        elif column == "max_units":
            config[column] = st.column_config.NumberColumn(column, min_value=0, format="localized", help=help_text)
        elif column in NUMBER_COLUMNS:
            config[column] = st.column_config.NumberColumn(
                f"{column} ({sign})" if sign else column, step=1, format="localized", help=help_text
            )
        else:
            config[column] = st.column_config.TextColumn(column, help=help_text)
    return config
