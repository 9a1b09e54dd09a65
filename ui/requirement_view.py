"""The requirement R on the Case page.

The figure, its formula, each term, the inputs with their status and source, and how each
instrument counts towards R.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from optimizer import Case, Coverage
from optimizer.rules.basis import Basis
from optimizer.rules.requirement import requirement_basis
from ui import format as fmt
from ui.tables import show_table
from ui.text import esc

_TESTS = {
    Coverage.LADDER: "ladder: every single-incident loss up to R must be payable",
    Coverage.FACE: "face: cash plus the credited face of cover must reach R",
}


def _source(column: str, values: list[str]) -> dict[str, Any] | None:
    # A link column only when every cell is a link; "the case" is not one.
    if values and all(value.startswith("http") for value in values):
        return {column: st.column_config.LinkColumn(column)}
    return None


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
        st.error(f"R cannot be computed for this case: {esc(error)}")
        return
    cur = case.currency
    left, right = st.columns([1, 2], gap="large")
    with left:
        st.metric("Requirement R", fmt.short(basis.amount, cur), help=fmt.money(basis.amount, cur))
        st.write(f"Source: {esc(basis.source)}.")
        if basis.formula:
            st.code(basis.formula, language=None, wrap_lines=True)
        st.write(f"Coverage test: {_TESTS[case.coverage]}.")
        if basis.insurance_cap is not None:
            cap = basis.insurance_cap
            st.write(f"The regime caps insurance-like cover at {fmt.rate(cap.fraction)} of R ({cap.parameter}).")
    with right:
        _terms(basis, cur)
        _inputs(basis, cur)
        _eligibility(case, basis)


def _terms(basis: Basis, currency: str) -> None:
    if not basis.breakdown:
        return
    st.caption("How R is made up")
    rows = [
        {"line": term.name, "amount": fmt.money(term.value, currency), "how": term.formula,
         "sets R": "yes" if term.binds else "", "status": term.status, "source": term.source}
        for term in basis.breakdown
    ]
    show_table(pd.DataFrame(rows), _source("source", [row["source"] for row in rows]))


def _inputs(basis: Basis, currency: str) -> None:
    if basis.regime is None or not basis.inputs:
        return
    st.caption("Every figure the rulebook used (assumptions can be changed above)")
    rows = [
        {"input": item.name, "value": _value(item.value, item.unit, currency), "status": item.status,
         "changed from": "" if item.default is None else _value(item.default, item.unit, currency),
         "where": item.section, "source": item.source}
        for item in basis.inputs
    ]
    show_table(pd.DataFrame(rows))


def _eligibility(case: Case, basis: Basis) -> None:
    st.caption("How each instrument counts towards R")
    forms = {item.id: item for item in basis.eligibility}
    rows = []
    for item in case.instruments:
        eligibility = forms.get(item.id)
        rows.append(
            {
                "instrument": item.id,
                "kind": str(item.kind),
                "counted as": eligibility.form if eligibility is not None else str(item.kind),
                "credit": fmt.rate(basis.credit.get(item.id, 0.0)),
                "counted": "no: " + basis.excluded[item.id] if item.id in basis.excluded else "yes",
            }
        )
    show_table(pd.DataFrame(rows))
