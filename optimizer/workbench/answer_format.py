"""How the answer workbook reads: constraint names in words, money and rates in their formats.

``constraint_label`` turns a model row's name (``ladder__12000000000``) into what a CFO reads
("ladder test at a loss of ¥12.0bn"); ``format_answer_sheet`` gives each column of a sheet of
the answer workbook its number format (money ``¥#,##0``, rates and shares as percentages) and
each column a width that fits (``excel_style``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from optimizer.case.money import short_money
from optimizer.workbench.excel_style import money_format, set_widths

PERCENT = "0.00%"
_MONEY_COLUMNS = {"amount", "annual_cost", "credited", "shortfall", "total_cost", "loss", "funds"}
_RATE_COLUMNS = {"share", "credit"}
_MONEY_ITEMS = {"requirement", "total annual cost", "face total", "ladder minimum margin"}
_RATE_ITEMS = {"marginal cost of requirement (per unit of R)"}


def constraint_label(name: str, family: str, currency: str) -> str:
    """A model row's name in words: "ladder test at a loss of ¥12.0bn", "cap per counterparty: Bank A"."""
    parts = name.split("__")
    if family == "ladder" and len(parts) >= 2 and re.fullmatch(r"\d+", parts[1]):
        return f"ladder test at a loss of {short_money(float(parts[1]), currency)}"
    words = {
        "face": "face test (cash plus credited face reach R)",
        "min_cash": "cash floor",
        "insurance_cap": "cap on insurance-like cover",
        "ladder_total": "ladder running total",
    }
    if family in words:
        return words[family]
    detail = parts[-1].replace("_", " ") if len(parts) > 1 else ""
    named = {
        "capacity": "all on offer of",
        "counterparty_cap": "cap per counterparty:",
        "mandatory_cover": "cover the rule requires:",
        "liquidity": "liquidity test:",
    }
    prefix = named.get(family, family.replace("_", " "))
    return f"{prefix} {detail}".strip()


def format_answer_sheet(sheet: Any, title: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]],
                        currency: str) -> None:
    """Number formats by column (and by row on the Summary and Not bought sheets), widths that fit."""
    money = money_format(currency)
    ids = set(columns) - {"loss", "funds"} if title == "Ladder" else set()
    for index, column in enumerate(columns, start=1):
        style = money if column in _MONEY_COLUMNS or column in ids else PERCENT if column in _RATE_COLUMNS else None
        if style is not None:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = style
    if title == "Summary":
        for number, row in enumerate(rows, start=2):
            item = row.get("item")
            if item in _MONEY_ITEMS:
                sheet.cell(row=number, column=2).number_format = money
            elif item in _RATE_ITEMS:
                sheet.cell(row=number, column=2).number_format = PERCENT
    if title == "Not bought" and "price_field" in columns:
        for number, row in enumerate(rows, start=2):
            style = money if row.get("price_field") == "premium" else PERCENT
            for column in ("current", "break_even"):
                if column in columns:
                    sheet.cell(row=number, column=list(columns).index(column) + 1).number_format = style
    if title == "Fixes":
        for number, row in enumerate(rows, start=2):
            field = str(row.get("field", ""))
            style = PERCENT if field.endswith(("_fraction", "_rate", "share", "credit")) else money
            for column in ("current", "proposed"):
                if column in columns:
                    sheet.cell(row=number, column=list(columns).index(column) + 1).number_format = style
    set_widths(sheet)
