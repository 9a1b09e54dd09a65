"""Fixes of infeasible cases are single changes that work, and no larger than needed (issue #8.15).

Hand-solved cases (amounts in ¥bn, R = 10, face coverage) pin the two defects found: a
counterparty-cap fix larger than needed (one bank's row loosened instead of the common cap),
and MILP cases left without a fix because the relaxed LP's fix is not enough once units are
whole. Random small infeasible cases (MILPs with integer_units, min_share and all_or_nothing,
and some LPs) then check the class: every fix, applied, makes the case feasible at the stated
cost, a change 1% less generous does not, and when no fix is offered no single limit moved
to its loosest value helps.

Tolerance: the search states its proposals are within 0.2% of the change (or one unit of
currency, 1e-9 x R if larger) of the least change that works, so a change 1% smaller must
fail, except where 1% of the change is within the solver's feasibility tolerance (1e-6 x R
in money), where a "feasible" answer proves nothing and the check is skipped.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from conftest import costs_agree
from random_cases import random_case

import optimizer.coverage.diagnose as diagnose_module
from optimizer import Status, check_case, optimal_cost, optimize
from optimizer.case.terms import has_integer_terms

BN = 1e9


def _case(instruments: list[dict[str, Any]], **limits: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "least fixes",
        "currency": "JPY",
        "requirement": {"amount": 10 * BN},
        "coverage": "face",
        "instruments": instruments,
    }
    if limits:
        data["constraints"] = limits
    return data


def _fixes(data: dict[str, Any]) -> dict[str, Any]:
    solution = optimize(check_case(data))
    assert solution.status is Status.INFEASIBLE
    return {fix.field: fix for fix in solution.fixes}


def _set(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    *parents, last = path.replace("[", ".").replace("]", "").split(".")
    node: Any = changed
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value
    return changed


def _get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.replace("[", ".").replace("]", "").split("."):
        node = node[int(part)] if part.isdigit() else node.get(part)
    return node


def _feasible(data: dict[str, Any]) -> bool:
    return optimal_cost(check_case(data)) is not None


# --- the common counterparty cap ---------------------------------------------------------------


def test_counterparty_cap_fix_is_the_least_common_cap():
    # Two banks, guarantees unbounded at 1%, no cash; every bank at most 20% of R = 10.
    #   A + B >= 10 and A, B <= 2: 6 short. Raising the common cap to f lets each give 10 f:
    #   20 f >= 10, so f = 50% is the least cap that works (loosening Bank A's row alone
    #   would ask for 80%, and its money share of the fix is what the old diagnosis proposed).
    data = _case(
        [
            {"id": "lc-a", "kind": "guarantee", "counterparty": "Bank A", "fee_rate": 0.01},
            {"id": "lc-b", "kind": "guarantee", "counterparty": "Bank B", "fee_rate": 0.02},
        ],
        max_counterparty_fraction=0.2,
    )
    fix = _fixes(data)["constraints.max_counterparty_fraction"]
    assert (fix.current, fix.proposed) == (0.2, pytest.approx(0.5))
    assert fix.total_cost == pytest.approx(5 * BN * 0.01 + 5 * BN * 0.02)  # ¥0.15bn
    assert "Bank A" in fix.change and "Bank B" in fix.change
    assert _feasible(_set(data, fix.field, 0.5))
    assert not _feasible(_set(data, fix.field, 0.497))  # 1% of the change (0.3) less


# --- MILP cases: the relaxed LP's fix is not enough ---------------------------------------------


def test_whole_units_fix_is_searched_past_the_relaxed_lp():
    # Cash capped at 2; parametric cover paying 3 a unit, bought whole, at most 2 units
    # (premium 0.03 a unit), triggering at 0.
    #   Relaxed LP: 2 + 3u >= 10 gives u = 2.667, so max_units 2.667 would be its fix; with
    #   whole units that still allows only 2 (2 + 6 = 8 < 10): the least fix is 3 units.
    #   Cost with 3 units: 3 x 0.03 + cash 1 x 0.05 = 0.14.
    #   Cash instead: 10 - 6 = 4, so max_amount 2 -> 4: 2 x 0.03 + 4 x 0.05 = 0.26.
    data = _case(
        [
            {"id": "cash", "kind": "cash", "cost_rate": 0.05, "max_amount": 2 * BN},
            {
                "id": "cat",
                "kind": "parametric",
                "counterparty": "Dealer D",
                "trigger": 0,
                "payout": 3 * BN,
                "premium": 0.03 * BN,
                "max_units": 2,
                "integer_units": True,
            },
        ]
    )
    fixes = _fixes(data)
    assert (fixes["instruments[1].max_units"].proposed, fixes["instruments[1].max_units"].total_cost) == (
        3.0,
        pytest.approx(0.14 * BN),
    )
    assert fixes["instruments[0].max_amount"].proposed == pytest.approx(4 * BN)
    assert fixes["instruments[0].max_amount"].total_cost == pytest.approx(0.26 * BN)


def _minimum_line_case() -> dict[str, Any]:
    return _case(
        [
            {"id": "cash", "kind": "cash", "cost_rate": 0.05, "max_amount": 6 * BN},
            {
                "id": "xl",
                "kind": "insurance",
                "counterparty": "Insurer X",
                "attachment": 0,
                "limit": 10 * BN,
                "premium_rate": 0.01,
                "min_share": 0.5,
            },
        ],
        max_insurance_fraction=0.4,
    )


def test_minimum_line_case_feasible_as_an_lp_gets_its_least_fixes():
    # Cash up to 6 at 5%; one layer 10 xs 0 at 1% on line, written only from a 50% line;
    # insurance at most 40% of R.
    #   Relaxed LP: cash 6 + a 40% line: feasible. With the minimum line: 6 + 0 < 10, and a
    #   line of 50% breaks the 40% cap: infeasible, and the relaxed LP has no shortfall.
    # Least single changes:
    #   insurance cap 40% -> 50%: line 50%, cash 5: 0.05 + 0.25 = 0.30
    #   min_share 50% -> 40%:     line 40%, cash 6: 0.04 + 0.30 = 0.34
    #   cash cap 6 -> 10:         no layer:          0.50
    data = _minimum_line_case()
    solution = optimize(check_case(data))
    assert solution.status is Status.INFEASIBLE
    assert solution.diagnosis[0].constraint == "integrality"
    assert [(fix.field, fix.proposed) for fix in solution.fixes] == [
        ("constraints.max_insurance_fraction", pytest.approx(0.5)),
        ("instruments[1].min_share", pytest.approx(0.4)),
        ("instruments[0].max_amount", pytest.approx(10 * BN)),
    ]
    assert [fix.total_cost for fix in solution.fixes] == pytest.approx([0.30 * BN, 0.34 * BN, 0.50 * BN])
    assert "whole units, minimum lines" in solution.fix_search


# --- random small MILPs --------------------------------------------------------------------------


def _loosest(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every single change of one limit to its loosest value (written apart from knobs.py)."""
    changes = []
    for index, item in enumerate(data["instruments"]):
        for field in ("max_amount", "max_units", "min_share"):
            if item.get(field) is not None:
                changes.append(_set(data, f"instruments[{index}].{field}", None))
        if item["kind"] == "insurance" and item.get("max_share", 1.0) < 1:
            changes.append(_set(data, f"instruments[{index}].max_share", 1.0))
    limits = data.get("constraints", {})
    for field in ("max_counterparty_fraction", "max_insurance_fraction"):
        if limits.get(field) is not None:
            changes.append(_set(data, f"constraints.{field}", 1.0))
    if limits.get("min_cash_fraction"):
        changes.append(_set(data, "constraints.min_cash_fraction", 0.0))
    if limits.get("liquidity"):
        changes.append(_set(data, "constraints.liquidity.min_fraction", 0.0))
    return changes


def _money_per_unit(data: dict[str, Any], path: str) -> float:
    """Money one unit of the field moves (fractions of R, shares of a layer, units, amounts)."""
    if path.startswith("constraints") or path.startswith("requirement"):
        return float(data["requirement"]["amount"])
    index = int(path.split("[")[1].split("]")[0])
    item = data["instruments"][index]
    if path.endswith(("max_share", "min_share")):
        return float(item["limit"])
    if path.endswith("max_units"):
        return float(item["payout"])
    return 1.0


def _small_milp(rng: random.Random) -> dict[str, Any]:
    """A small case whose limits are all close to binding: whole units, minimum lines, whole layers."""
    requirement = 100 * 10 ** rng.randint(2, 10)
    parties = ["Bank A", "Bank B", "Insurer C"]
    instruments: list[dict[str, Any]] = [
        {"id": "cash", "kind": "cash", "cost_rate": 0.05, "max_amount": round(requirement * rng.uniform(0, 0.5))},
        {
            "id": "lc",
            "kind": "guarantee",
            "counterparty": rng.choice(parties),
            "fee_rate": round(rng.uniform(0.005, 0.03), 4),
            "max_amount": round(requirement * rng.uniform(0.05, 0.6)),
            "payout_days": rng.choice([0, 10, 40]),
        },
    ]
    for index in range(rng.randint(1, 2)):
        layer: dict[str, Any] = {
            "id": f"xl-{index}",
            "kind": "insurance",
            "counterparty": rng.choice(parties),
            "attachment": round(requirement * rng.choice([0.0, rng.uniform(0, 0.5)])),
            "limit": round(requirement * rng.uniform(0.2, 1.0)),
            "premium_rate": round(rng.uniform(0.005, 0.04), 4),
            "max_share": round(rng.uniform(0.3, 1.0), 3),
            "payout_days": rng.choice([5, 30, 90]),
        }
        if rng.random() < 0.5:
            layer["min_share"] = round(rng.uniform(0.1, layer["max_share"]), 3)
        else:
            layer["all_or_nothing"] = True
        instruments.append(layer)
    payout = round(requirement * rng.uniform(0.1, 0.45))
    instruments.append(
        {
            "id": "cat",
            "kind": "parametric",
            "counterparty": rng.choice(parties),
            "trigger": round(requirement * rng.uniform(0, 0.3)),
            "payout": payout,
            "premium": round(payout * rng.uniform(0.005, 0.05)),
            "max_units": rng.randint(1, 3),
            "integer_units": True,
            "payout_days": rng.choice([2, 20]),
        }
    )
    limits: dict[str, Any] = {"max_counterparty_fraction": round(rng.uniform(0.25, 0.6), 3)}
    if rng.random() < 0.5:
        limits["max_insurance_fraction"] = round(rng.uniform(0.2, 0.7), 3)
    if rng.random() < 0.3:
        limits["min_cash_fraction"] = round(rng.uniform(0.05, 0.3), 3)
    if rng.random() < 0.3:
        limits["liquidity"] = {"days": 30, "min_fraction": round(rng.uniform(0.2, 0.6), 3)}
    data = _case(instruments, **limits)
    data["name"] = f"small MILP (R={requirement:,})"
    data["requirement"]["amount"] = requirement
    data["coverage"] = rng.choice(["face", "ladder"])
    return data


def _infeasible(count: int, integer_terms: bool) -> list[dict[str, Any]]:
    """Small random infeasible cases: MILPs (with integer terms) or LPs, drawn from fixed seeds."""
    cases: list[dict[str, Any]] = []
    seed = 0
    while len(cases) < count:
        rng = random.Random(f"least-fix-{integer_terms}-{seed}")
        data = _small_milp(rng) if integer_terms else random_case(rng, tight=True)
        seed += 1
        case = check_case(data)
        wanted = any(has_integer_terms(item) for item in case.instruments) == integer_terms
        if wanted and len(case.instruments) <= 6 and optimal_cost(case) is None:
            cases.append(data)
    return cases


@pytest.mark.parametrize(
    "data",
    _infeasible(30, integer_terms=True) + _infeasible(15, integer_terms=False),
    ids=lambda data: data["name"],
)
def test_every_fix_works_and_is_least(data):
    case = check_case(data)
    solution = optimize(case)
    assert solution.status is Status.INFEASIBLE
    requirement = solution.requirement
    if not solution.fixes:
        # No fix offered: then no single limit moved to its loosest value helps either.
        assert not any(_feasible(changed) for changed in _loosest(data)), "a single change works, none proposed"
        return
    for fix in solution.fixes:
        changed = _set(data, fix.field, fix.proposed)
        cost = optimal_cost(check_case(changed))
        assert cost is not None, fix.change
        assert costs_agree(cost, fix.total_cost, requirement, rel=1e-6), fix.change
        current = fix.current
        assert current is not None
        assert _get(data, fix.field) == pytest.approx(current) or fix.field.startswith("requirement")
        proposed = 0.0 if fix.proposed is None else fix.proposed  # None: a minimum line dropped
        less = proposed - 0.01 * (proposed - current)
        if abs(proposed - less) * _money_per_unit(data, fix.field) < 1e-6 * requirement:
            continue  # within the solver's feasibility tolerance: nothing to prove
        assert not _feasible(_set(data, fix.field, less)), f"{fix.change}: 1% less also works"


def test_the_search_stops_at_its_budget_and_says_so(monkeypatch):
    # The minimum-line case above needs more than 3 solves (a relaxed LP and re-solves per
    # limit): with a budget of 3, the answer says the search was cut short, and whatever it
    # proposes still works.
    monkeypatch.setattr(diagnose_module, "MAX_RESOLVES", 3)
    data = _minimum_line_case()
    solution = optimize(check_case(data))
    assert solution.status is Status.INFEASIBLE
    assert "stopped at its limit of 3 solves" in solution.fix_search
    assert "(3 solves)" in solution.fix_search
    for fix in solution.fixes:
        assert _feasible(_set(data, fix.field, fix.proposed)), fix.change
