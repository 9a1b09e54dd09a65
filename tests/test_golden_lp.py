"""The model's structure, pinned as PuLP ``.lp`` files (style.md, "Tests").

A change to a row, a coefficient, a bound, a name or the scaling shows up as a diff against
tests/golden/*.lp. When the change is intended, regenerate and review the diff:

    UPDATE_GOLDEN=1 /tmp/venv/bin/python -m pytest tests/test_golden_lp.py
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from optimizer import check_case, requirement_basis
from optimizer.coverage.model import build_model

GOLDEN = Path(__file__).resolve().parent / "golden"

# R = 10bn. Ladder breakpoints: 2bn (xl-1 attaches), 4bn (cat-1 triggers), 6bn (xl-1 is
# exhausted, xl-2 attaches), 10bn (R); xl-2 reaches 14bn, past R. Every policy constraint.
LADDER_CASE: dict[str, Any] = {
    "name": "golden ladder",
    "currency": "JPY",
    "requirement": {"amount": 10_000_000_000},
    "coverage": "ladder",
    "instruments": [
        {"id": "cash", "kind": "cash", "cost_rate": 0.05, "max_amount": 6_000_000_000},
        {
            "id": "lc-1",
            "kind": "guarantee",
            "counterparty": "Bank A",
            "fee_rate": 0.012,
            "max_amount": 1_000_000_000,
            "credit": 0.9,
            "payout_days": 5,
        },
        {
            "id": "xl-1",
            "kind": "insurance",
            "counterparty": "Syndicate 1",
            "attachment": 2_000_000_000,
            "limit": 4_000_000_000,
            "premium_rate": 0.03,
            "max_share": 0.5,
            "payout_days": 90,
        },
        {
            "id": "xl-2",
            "kind": "insurance",
            "counterparty": "Bank A",
            "attachment": 6_000_000_000,
            "limit": 8_000_000_000,
            "premium_rate": 0.015,
            "credit": 0.8,
            "payout_days": 120,
        },
        {
            "id": "cat-1",
            "kind": "parametric",
            "counterparty": "Dealer B",
            "trigger": 4_000_000_000,
            "payout": 1_000_000_000,
            "premium": 50_000_000,
            "max_units": 3,
            "credit": 0.5,
            "payout_days": 10,
        },
    ],
    "constraints": {
        "min_cash_fraction": 0.2,
        "max_counterparty_fraction": 0.3,
        "max_insurance_fraction": 0.5,
        "liquidity": {"days": 30, "min_fraction": 0.5},
    },
}

# Face test, no policy constraints; a MILP: a minimum line and whole units.
FACE_CASE: dict[str, Any] = {
    "name": "golden face",
    "currency": "EUR",
    "requirement": {"amount": 150_000},
    "coverage": "face",
    "instruments": [
        {"id": "cash", "kind": "cash", "cost_rate": 0.04},
        {
            "id": "lc",
            "kind": "guarantee",
            "counterparty": "Bank",
            "fee_rate": 0.01,
            "max_amount": 50_000,
        },
        {
            "id": "xl",
            "kind": "insurance",
            "counterparty": "Insurer",
            "attachment": 100_000,
            "limit": 200_000,
            "premium_rate": 0.02,
            "min_share": 0.25,
        },
        {
            "id": "cat",
            "kind": "parametric",
            "counterparty": "Dealer",
            "trigger": 50_000,
            "payout": 25_000,
            "premium": 900,
            "max_units": 2,
            "integer_units": True,
        },
    ],
}


@pytest.mark.parametrize(("name", "data"), [("ladder_all_policies", LADDER_CASE), ("face_milp", FACE_CASE)])
def test_model_structure_matches_the_golden_lp_file(name, data, tmp_path):
    case = check_case(data)
    model = build_model(case, requirement_basis(case))
    written = tmp_path / f"{name}.lp"
    model.problem.writeLP(str(written))
    text = written.read_text(encoding="utf-8")
    golden = GOLDEN / f"{name}.lp"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with UPDATE_GOLDEN=1 to write it"
    assert text == golden.read_text(encoding="utf-8"), (
        f"{name}: model differs from {golden} (UPDATE_GOLDEN=1 to accept)"
    )
