"""How R was computed, for people: the breakdown as JSON-ready data and as text.

``breakdown_dict`` is the ``requirement_breakdown`` of ``solve``'s JSON answer;
``render_requirement`` is what ``reserve-opt requirement CASE`` prints; ``brief_lines`` is
the short form the solve table shows under the requirement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from optimizer.case.money import money, percent, short_money
from optimizer.case.schema import Case
from optimizer.rules.basis import Basis, insurance_cap


def breakdown_dict(case: Case, basis: Basis) -> dict[str, Any]:
    """The explanation of R as plain data (stable keys; amounts in the case currency)."""
    cap = insurance_cap(case, basis)
    return {
        "regime": basis.regime,
        "source": basis.source,
        "formula": basis.formula,
        "amount": basis.amount,
        "terms": [asdict(term) for term in basis.breakdown],
        "inputs": [asdict(item) for item in basis.inputs],
        "assumptions": [item.name for item in basis.inputs if item.status == "assumption"],
        "eligibility": [asdict(item) for item in basis.eligibility],
        "insurance_cap": None if cap is None else {"fraction": cap.fraction, "from": cap.text},
        "mandatory": [asdict(item) for item in basis.mandatory],
    }


def render_requirement(case: Case, basis: Basis) -> str:
    """The full explanation of R, as ``reserve-opt requirement`` prints it."""
    cur = case.currency
    lines = [f"Case: {case.name}  ({cur})", f"Requirement R = {money(basis.amount, cur)}  ({basis.source})"]
    if basis.formula:
        lines.append(f"  {basis.formula}")
    lines += ["", "Terms:"]
    for term in basis.breakdown:
        mark = "  <- binds" if term.binds else ""
        lines.append(f"  {term.name:<22} {money(term.value, cur):>22}  {term.formula}  [{term.status}]{mark}")
    lines += ["", "Instruments:"]
    for entry in basis.eligibility:
        if entry.excluded:
            lines.append(f"  {entry.id:<22} excluded: {entry.excluded}")
        else:
            factor = f" = own credit x {entry.regime_credit:g} ({entry.form}) [{entry.status}]" if basis.regime else ""
            lines.append(f"  {entry.id:<22} credit {entry.credit:g}{factor}")
    cap = insurance_cap(case, basis)
    if cap is not None:
        share = percent(cap.fraction)
        lines += ["", f"Insurance cap: at most {share} of R from insurance and parametric cover ({cap.text})."]
    for cover in basis.mandatory:
        lines += [
            "",
            f"Mandatory: {cover.text}: at least {money(cover.amount, cur)} ({cover.formula}) [{cover.status}]",
        ]
    parameters = [item for item in basis.inputs if item.status != "case"]
    if parameters:
        lines += ["", "Inputs (status; source):"]
        for item in parameters:
            changed = "" if item.default is None else f" (overridden in the case; rulebook {item.default:g})"
            lines.append(f"  {item.name} = {_value(item.value, item.unit)}{changed}  [{item.status}] {item.source}")
            lines.append(f"      {item.section}")
    figures = [item for item in basis.inputs if item.status == "case"]
    if figures:
        lines += ["", "From the case:"]
        lines += [f"  {item.name} = {_value(item.value, item.unit)}" for item in figures]
    assumptions = [item.name for item in basis.inputs if item.status == "assumption"]
    if assumptions:
        lines += [
            "",
            f"Assumptions (no published rule; change them under requirement.assumptions): {', '.join(assumptions)}.",
        ]
    return "\n".join(lines)


def brief_lines(breakdown: Mapping[str, Any], currency: str) -> list[str]:
    """Two or three lines on how R was computed, for the solve table (empty for a given R)."""
    if not breakdown or breakdown.get("regime") is None:
        return []
    terms = ", ".join(
        f"{term['name']} {short_money(term['value'], currency)}{' (binds)' if term['binds'] else ''}"
        for term in breakdown["terms"]
    )
    lines = [f"  {breakdown['formula']}: {terms}"]
    if breakdown["assumptions"]:
        lines.append(f"  Assumptions: {', '.join(breakdown['assumptions'])} (see `reserve-opt requirement`).")
    return lines


def _value(value: float | str | bool, unit: str) -> str:
    if isinstance(value, bool | str) or value is None:
        return str(value)
    if unit == "fraction":
        return percent(value)
    if len(unit) == 3 and unit.isupper():  # a currency code
        return money(value, unit)
    return f"{value:g} {unit}".rstrip()
