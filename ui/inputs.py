"""Inputs for money and fractions that hand back the case's own value when untouched.

A fraction shown as a percentage (0.2 -> 20.0) and read back (20.0 / 100) can come back as
0.20000000000000004; writing that into the case would change its JSON, re-solve it and put a
different hash in the audit record for no edit at all. These inputs return the stored value
unless the user really changed it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.format import rate_format, rate_step, short
from ui.i18n import t


def money_input(
    label: str, value: float | None, key: str, currency: str, *, optional: bool = False, help: str | None = None
) -> float | None:
    """A whole amount in the case currency, with its short form as the caption."""
    step = 10 ** max(0, len(f"{int(value or 0):d}") - 3) if value else 1_000.0
    typed = st.number_input(
        label,
        value=None if value is None else float(value),
        min_value=0.0,
        step=float(step),
        format="%.0f",
        key=key,
        placeholder=t("form.not_given") if optional else None,
        help=help,
    )
    if typed is not None:
        st.caption(short(typed, currency))
    if value is not None and typed is not None and abs(typed - value) < 0.5:
        return value
    return typed


def percent_input(
    label: str,
    value: float | None,
    key: str,
    *,
    help: str | None = None,
    placeholder: str | None = None,
    step: float | None = None,
) -> float | None:
    """A fraction typed as a percentage (0 to 100), or None when left empty.

    The label ends in "(%)"; the decimals and the + / - step fit the value's size
    (``ui.format.rate_format`` / ``rate_step``), so 0.05% shows as 0.05 and steps to 0.06.
    ``step`` (in percent) replaces that step where a fixed one reads better (a price grid's
    0.25% steps).
    """
    shown = None if value is None else round(value * 100, 10)
    step = step or rate_step(shown)
    typed = st.number_input(
        f"{label} (%)",
        value=shown,
        min_value=0.0,
        max_value=100.0,
        step=step,
        format=rate_format(shown, step),
        key=key,
        placeholder=placeholder or t("form.no_limit"),
        help=help,
    )
    if typed is None:
        return None
    if value is not None and abs(typed - value * 100) < 1e-9:
        return value
    return round(typed / 100, 12)


def set_or_drop(section: dict[str, Any], name: str, value: Any) -> None:
    """Set a field of raw case data, or remove it when the value is None (the field is optional)."""
    if value is None:
        section.pop(name, None)
    else:
        section[name] = value
