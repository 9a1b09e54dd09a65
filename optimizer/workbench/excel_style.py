"""How reserve-opt's workbooks look: money and rate formats, column widths, clean numbers.

Shared by the answer workbook and the Market workbook, so a CFO sees one style: money as
``¥#,##0`` (the currency's sign, thousands separators, no decimals above one unit), rates as
percentages, columns as wide as their longest value, and no float noise (0.03499999999999998
is written 0.035: values are rounded to 12 significant digits, far below any quote's precision).
"""

from __future__ import annotations

import math
from typing import Any

from optimizer.case.money import symbol

MONEY_NOISE_DIGITS = 12
"""Significant digits kept when writing a number (float noise lives in the 16th)."""


def money_format(currency: str) -> str:
    """An Excel number format for amounts in ``currency``: ``"¥"#,##0`` or ``"HK$"#,##0``."""
    sign = symbol(currency).strip()
    return f'"{sign}"#,##0' if sign else "#,##0"


NOISE_FLOOR = 1e-6
"""Below this in absolute value a number in the answer is solver residue (a reduced cost of
-2.98e-08, a share of 1e-12), written as 0: no amount, rate or price in a case is that small."""


def clean(value: Any) -> Any:
    """A number without float noise (0.03499999999999998 -> 0.035, -2.98e-08 -> 0); others unchanged."""
    if isinstance(value, float) and math.isfinite(value) and abs(value) < NOISE_FLOOR:
        return 0.0
    if isinstance(value, float) and math.isfinite(value) and value != 0:
        digits = MONEY_NOISE_DIGITS - 1 - math.floor(math.log10(abs(value)))
        rounded = round(value, digits)
        return int(rounded) if rounded.is_integer() and abs(rounded) < 1e15 else rounded
    return value


def set_widths(sheet: Any, minimum: int = 8, maximum: int = 60) -> None:
    """Make each column as wide as its longest value (header included), within limits."""
    widths: dict[str, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            number = isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
            text = f"{cell.value:,.0f}" if number else str(cell.value)
            widths[cell.column_letter] = max(widths.get(cell.column_letter, 0), len(text) + 3)
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = max(minimum, min(maximum, width))
