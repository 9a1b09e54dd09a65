"""The Case page's inputs for a regime-driven requirement: the rulebook, its assumptions, FX.

A rulebook's confirmed rules are shown, not edited; its assumptions and reported figures can
be overridden, and only values that differ from the rulebook's are written into
``requirement.assumptions``, so the case file records exactly what the user changed.
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from optimizer.case.regimes_registry import known_regimes
from optimizer.case.rulebook import Parameter, Rulebook, RulebookError, Unit, load_rulebook
from ui import format as fmt
from ui.i18n import t
from ui.inputs import money_input, percent_input
from ui.state import version
from ui.text import esc


def _describe(parameter: Parameter) -> str:
    note = f" {parameter.note}" if parameter.note else ""
    return f"{parameter.status.value.upper()}: {parameter.section}.{note} Source: {parameter.source}"


def regime_inputs(data: dict[str, Any], regimes: list[str], current: dict[str, Any]) -> dict[str, Any]:
    """The rulebook menu and its assumption inputs; returns the new ``requirement`` mapping."""
    chosen = current.get("regime")
    regime = st.selectbox(
        t("form.rulebook"),
        regimes,
        index=regimes.index(chosen) if chosen in regimes else 0,
        format_func=_regime_label,
        key=f"requirement_regime_{version()}",
        help=t("form.rulebook_help"),
    )
    try:
        book = load_rulebook(regime)
    except RulebookError as error:
        st.error(t("form.rulebook_error", regime=esc(regime), error=esc(error)))
        return {"regime": regime}
    st.caption(f"{book.jurisdiction}. {book.status}")
    fields = ", ".join(f"`{name}`" for name in book.exchange_fields())
    if fields:
        st.caption(t("form.rulebook_reads", fields=fields))
    previous = (current.get("assumptions") or {}) if chosen == regime else {}
    assumptions = _assumption_inputs(book, previous)
    _fx_input(data, book)
    return {"regime": regime, **({"assumptions": assumptions} if assumptions else {})}


def regimes_for(currency: str) -> list[str]:
    """Installed rulebooks, those in the case's currency (its jurisdiction's) first.

    A Japanese case switched to "computed by a regime rulebook" starts on jp-fsa-draft, not
    on the first rulebook in alphabetical order.
    """
    return sorted(known_regimes(), key=lambda regime: (_rulebook_currency(regime) != currency, regime))


@functools.cache
def _rulebook_currency(regime: str) -> str:
    # Rulebooks do not change while the app runs; read each once per process.
    try:
        return str(load_rulebook(regime).currency)
    except RulebookError:
        return ""


def _regime_label(regime: str) -> str:
    try:
        return f"{regime} — {load_rulebook(regime).name}"
    except RulebookError:
        return regime


def _assumption_inputs(book: Rulebook, previous: dict[str, Any]) -> dict[str, float]:
    """Inputs for the parameters a case may override; returns those that differ from the book."""
    overridable = book.overridable()
    if not overridable:
        return {}
    changed: dict[str, float] = {}
    with st.expander(t("form.assumptions", regime=book.id, count=len(overridable))):
        for name, parameter in overridable.items():
            value = previous.get(name, parameter.value)
            key = f"assumption_{book.id}_{name}_{version()}"
            if parameter.unit is Unit.FRACTION:
                typed = percent_input(name, value, key, help=_describe(parameter), placeholder=t("form.rulebook_value"))
            else:
                typed = money_input(name, value, key, book.currency, help=_describe(parameter))
            if typed is not None and typed != parameter.value:
                changed[name] = typed
    if changed:
        words = ", ".join(f"{key} = {_shown(overridable[key], value, book.currency)}" for key, value in changed.items())
        st.caption(t("form.changed", changes=words))
    return changed


def _shown(parameter: Parameter, value: float, currency: str) -> str:
    return fmt.rate(value) if parameter.unit is Unit.FRACTION else fmt.short(value, currency)


def _fx_input(data: dict[str, Any], book: Rulebook) -> None:
    """The exchange rate needed when the rulebook's amounts are in another currency."""
    currency = str(data.get("currency") or "")
    fx = dict(data.get("fx") or {})
    if book.currency == currency or not currency:
        return
    rate = st.number_input(
        f"1 {book.currency} = ? {currency}",
        value=fx.get(book.currency),
        min_value=0.0,
        format="%.4f",
        key=f"fx_{book.currency}_{version()}",
        placeholder=t("form.fx_rate"),
        help=t("form.fx_help", regime=book.id, currency=book.currency),
    )
    if rate:
        fx[book.currency] = rate
    else:
        fx.pop(book.currency, None)
    data["fx"] = fx or None
