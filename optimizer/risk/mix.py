"""Read a mix for ``reserve-opt risk --mix``: money bought per instrument.

A mix is a YAML/JSON mapping of instrument id to amount in money (as ``allocations[].amount``
of the answer), or a saved ``solve --format json`` answer (its ``allocations`` are read).
Instruments the mix leaves out buy nothing. Every problem is reported at once, naming the
entry, the rule, the value and the fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from optimizer.case.errors import CaseError, Problem
from optimizer.case.loading import decode_bytes, parse_text
from optimizer.case.schema import Case
from optimizer.case.terms import unit_amount, upper_bound


def load_mix(path: Path, case: Case) -> dict[str, float]:
    """Read and check the mix file at ``path`` against the case's instruments."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CaseError([Problem("", f"cannot read the mix file: {error.strerror}")], source) from None
    suffix = path.suffix.lower()
    fmt = "json" if suffix == ".json" else "yaml" if suffix in (".yaml", ".yml") else None
    return check_mix(parse_text(decode_bytes(raw, source), source, fmt), case, source)


def check_mix(data: Any, case: Case, source: str = "the mix") -> dict[str, float]:
    """Amounts by instrument id from raw mix data, or a CaseError listing every problem."""
    if isinstance(data, dict) and isinstance(data.get("allocations"), list):
        data = {row.get("id"): row.get("amount") for row in data["allocations"] if isinstance(row, dict)}
    if not isinstance(data, dict):
        msg = f"must be a mapping of instrument id to amount, or a solve answer (got {type(data).__name__})"
        raise CaseError([Problem("", f"the mix {msg}")], source)
    problems = []
    known = {item.id: item for item in case.instruments}
    amounts: dict[str, float] = {}
    for key, value in data.items():
        where = f"mix.{key}"
        if key not in known:
            listed = ", ".join(known)
            problems.append(Problem(where, f"is not an instrument of the case (got {key!r}); known: {listed}"))
            continue
        if not isinstance(value, int | float) or isinstance(value, bool) or value != value or value < 0:
            problems.append(Problem(where, f"must be an amount of money of zero or more (got {value!r})"))
            continue
        item = known[key]
        bound = upper_bound(item)
        most = None if bound is None else bound * unit_amount(item)
        if most is not None and value > most * (1 + 1e-9):
            problems.append(
                Problem(where, f"must be at most {most:,.0f}, all that is on offer (got {value:,.0f}); lower it")
            )
            continue
        amounts[key] = float(value)
    if problems:
        raise CaseError(problems, source)
    return amounts
