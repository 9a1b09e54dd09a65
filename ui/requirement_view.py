"""The requirement R on the Case page.

The figure, its formula, each term, the inputs with their status and source, and how each
instrument counts towards R.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from optimizer import Case
from optimizer.rules.basis import Basis
from optimizer.rules.requirement import requirement_basis
from ui import format as fmt
from ui.i18n import t
from ui.tables import static_table
from ui.text import code, esc


def _value(value: float | str | bool, unit: str, currency: str) -> str:
    if isinstance(value, bool) or isinstance(value, str):
        return str(value)
    if unit == "fraction":
        return fmt.rate(value)
    if unit in ("", "count"):
        return f"{value:g}"
    return fmt.money(value, unit if len(unit) == 3 else currency)


def show_requirement(case: Case) -> None:
    """R, where it comes from, its breakdown, and how each instrument counts towards it."""
    try:
        basis = requirement_basis(case)
    except (ValueError, LookupError) as error:
        st.error(t("requirement.error", error=esc(error)))
        return
    cur = case.currency
    left, right = st.columns([1, 2], gap="large")
    with left:
        st.metric(t("form.requirement"), fmt.short(basis.amount, cur), help=fmt.money(basis.amount, cur))
        st.write(t("requirement.source", source=esc(basis.source)))
        if basis.formula:
            # Inline code, not st.code: st.code loads the browser's syntax highlighter (every
            # language's grammar), most of the Case page's drawing time in a fresh tab (issue #12).
            st.markdown(code(basis.formula))
        st.write(t("requirement.test", test=t(f"requirement.test_{case.coverage}")))
        if basis.insurance_cap is not None:
            cap = basis.insurance_cap
            st.write(t("requirement.cap", share=fmt.rate(cap.fraction), parameter=cap.parameter))
    with right:
        _terms(basis, cur)
        _inputs(basis, cur)
        _eligibility(case, basis)


def _terms(basis: Basis, currency: str) -> None:
    if not basis.breakdown:
        return
    st.caption(t("requirement.terms"))
    columns = [t(f"requirement.col_{name}") for name in ("line", "amount", "how", "sets", "status", "source")]
    rows = [
        dict(zip(columns, (term.name, fmt.money(term.value, currency), term.formula,
                           t("form.yes") if term.binds else "", term.status, term.source), strict=True))
        for term in basis.breakdown
    ]
    static_table(pd.DataFrame(rows), links=frozenset({columns[-1]}))


def _inputs(basis: Basis, currency: str) -> None:
    if basis.regime is None or not basis.inputs:
        return
    st.caption(t("requirement.inputs"))
    columns = [t(f"requirement.col_{name}") for name in ("input", "value", "status", "changed", "where", "source")]
    rows = [
        dict(zip(columns, (item.name, _value(item.value, item.unit, currency), item.status,
                           "" if item.default is None else _value(item.default, item.unit, currency),
                           item.section, item.source), strict=True))
        for item in basis.inputs
    ]
    static_table(pd.DataFrame(rows), links=frozenset({t("requirement.col_source")}))


def _eligibility(case: Case, basis: Basis) -> None:
    st.caption(t("requirement.eligibility"))
    forms = {item.id: item for item in basis.eligibility}
    rows = []
    for item in case.instruments:
        eligibility = forms.get(item.id)
        rows.append(
            {
                t("requirement.col_instrument"): item.id,
                t("requirement.col_kind"): t(f"kind.{item.kind}"),
                t("requirement.col_counted_as"): eligibility.form if eligibility is not None else str(item.kind),
                t("requirement.col_credit"): fmt.rate(basis.credit.get(item.id, 0.0)),
                t("requirement.col_counted"): t("requirement.not_counted", why=basis.excluded[item.id])
                if item.id in basis.excluded else t("form.yes"),
            }
        )
    static_table(pd.DataFrame(rows), links=frozenset({t("requirement.col_source")}))
