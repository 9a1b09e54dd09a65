"""Risk limits by hand: the optimum, its price (checked by finite differences), the diagnosis.

A 10-year events table (years 4-10 lost nothing), amounts in $m, R = 10 in face mode:

    year 1: 50      year 2: 30      year 3: 5

Cash costs 0.1 a year per unit (at most 3 on offer); the layer 40 xs 10 costs 2 a year at
full share. The cheapest mix for the rule alone is a quarter of the layer (face 10, cost 0.5).

CVaR at 0.8 is the mean of the k = (1 - 0.8) x 10 = 2 worst years. With cash c and share s,
years 1 and 2 are the worst: U1 = 50 - c - 40 s, U2 = 30 - c - 20 s, so
CVaR = 40 - c - 30 s. One unit of CVaR costs 2 / 30 by the layer and 0.1 by cash: the layer
first. Limit 20: s = 2/3, cost 4/3, price 1/15 a year per unit of CVaR. Limit 8: s = 1
gives 10, then cash 2: cost 2.2, price 0.1. The least reachable is s = 1, c = 3: U = 7, 7, 2,
CVaR 7, so a limit of 5 is infeasible, held back by the cash cap and the layer's full share.

At 0.85 (k = 1.5) the worst year counts fully and the second by half:
CVaR = (U1 + 0.5 U2) / 1.5 = (65 - 1.5 c - 50 s) / 1.5; limit 20: s = 0.7 (cost 1.4).
The expected uncovered loss is (U1 + U2 + U3) / 10 = (85 - 3 c - 60 s) / 10 while every
year is uncovered; at most 3: s = 55 / 60 (cost 11/6).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from optimizer import Status, check_case, optimize

M = 1_000_000  # the amounts of the docstring are in $m
EVENTS = f"year,loss\n1,{50 * M}\n2,{30 * M}\n3,{5 * M}\n"


def _case(tmp_path: Path, risk: dict[str, Any], cash_cap: float = 3) -> Any:
    risk = {key: value * M if key.startswith("max_") else value for key, value in risk.items()}
    (tmp_path / "events.csv").write_text(EVENTS)
    data = {
        "name": "hand risk",
        "currency": "USD",
        "requirement": {"amount": 10 * M},
        "coverage": "face",
        "instruments": [
            {"id": "cash", "kind": "cash", "cost_rate": 0.1, "max_amount": cash_cap * M},
            {
                "id": "xl",
                "kind": "insurance",
                "counterparty": "Ins",
                "attachment": 10 * M,
                "limit": 40 * M,
                "premium_rate": 0.05,
            },
        ],
        "scenarios": {"years": 10, "events": "events.csv"},
        "risk": risk,
    }
    return check_case(data)


def _solve(tmp_path: Path, risk: dict[str, Any], **options: Any) -> Any:
    return optimize(_case(tmp_path, risk), base_dir=tmp_path, **options)


def test_regulatory_optimum_without_a_binding_limit(tmp_path: Path) -> None:
    solution = _solve(tmp_path, {"level": 0.8, "max_cvar": 40})
    assert solution.total_cost == pytest.approx(0.5 * M)
    (limit,) = solution.risk_limits
    assert limit.regulatory_only_value == pytest.approx(32.5 * M)  # (40 + 25) / 2
    assert not limit.binding and limit.price is None
    assert "does not bind" in limit.text


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_cvar_limit_by_hand(tmp_path: Path, solver: str) -> None:
    solution = _solve(tmp_path, {"level": 0.8, "max_cvar": 20}, solver=solver)
    assert solution.status is Status.OPTIMAL
    assert solution.total_cost == pytest.approx(4 / 3 * M)
    assert solution.allocation("xl").share == pytest.approx(2 / 3)
    (limit,) = solution.risk_limits
    assert limit.value == pytest.approx(20.0 * M)
    assert limit.binding and limit.price == pytest.approx(1 / 15)
    assert solution.regulatory_only_cost == pytest.approx(0.5 * M)


def test_fractional_tail_by_hand(tmp_path: Path) -> None:
    solution = _solve(tmp_path, {"level": 0.85, "max_cvar": 20})
    assert solution.total_cost == pytest.approx(1.4 * M)
    assert solution.risk_limits[0].value == pytest.approx(20.0 * M)


def test_expected_uncovered_limit_by_hand(tmp_path: Path) -> None:
    solution = _solve(tmp_path, {"level": 0.8, "max_expected_uncovered": 3})
    assert solution.total_cost == pytest.approx(11 / 6 * M)
    (limit,) = solution.risk_limits
    assert limit.name == "max_expected_uncovered"
    assert limit.value == pytest.approx(3.0 * M)
    assert limit.price == pytest.approx(2 / 60 * 10)  # a unit of E[U] is 10 units of total loss


@pytest.mark.parametrize(("limit", "price"), [(20.0, 1 / 15), (8.0, 0.1)])
def test_price_of_risk_equals_finite_differences(tmp_path: Path, limit: float, price: float) -> None:
    # The optimal cost is convex and piecewise linear in the limit; inside a piece its slope is
    # minus the dual of the limit row, which the answer reports as the price of lowering it.
    step = 0.01
    at = _solve(tmp_path, {"level": 0.8, "max_cvar": limit})
    lower = _solve(tmp_path, {"level": 0.8, "max_cvar": limit - step})
    higher = _solve(tmp_path, {"level": 0.8, "max_cvar": limit + step})
    reported = at.risk_limits[0].price
    assert reported == pytest.approx(price)
    assert (lower.total_cost - at.total_cost) / (step * M) == pytest.approx(reported, rel=1e-6)
    assert (at.total_cost - higher.total_cost) / (step * M) == pytest.approx(reported, rel=1e-6)
    assert "costs about" in at.risk_limits[0].text and "a year more" in at.risk_limits[0].text


def test_unreachable_limit_is_diagnosed_with_the_least_reachable(tmp_path: Path) -> None:
    solution = _solve(tmp_path, {"level": 0.8, "max_cvar": 5})
    assert solution.status is Status.INFEASIBLE
    (short,) = solution.diagnosis
    assert short.constraint == "risk.max_cvar"
    assert short.shortfall == pytest.approx(2.0 * M)  # least reachable 7, limit 5
    assert "no mix keeps the 1-in-5-year CVaR (80%)" in short.text
    assert "the least reachable is $7.0m," in short.text
    assert "cash is capped at $3.0m" in short.text and "xl is offered up to a 100% share" in short.text
    (fix,) = solution.fixes
    assert fix.field == "risk.max_cvar" and fix.proposed == pytest.approx(7.0 * M)
    assert fix.total_cost == pytest.approx(2.3 * M)  # s = 1, c = 3


def test_both_limits_held_together(tmp_path: Path) -> None:
    # CVaR <= 20 alone: s = 2/3 (E[U] = (85 - 40) / 10 = 4.5); adding E[U] <= 3 needs s = 11/12.
    solution = _solve(tmp_path, {"level": 0.8, "max_cvar": 20, "max_expected_uncovered": 3})
    assert solution.total_cost == pytest.approx(11 / 6 * M)
    values = {item.name: item for item in solution.risk_limits}
    assert values["max_cvar"].value <= 20 * M * (1 + 1e-9)
    assert not values["max_cvar"].price  # the expected-loss limit is the one that costs
    assert values["max_expected_uncovered"].value == pytest.approx(3.0 * M)


def test_risk_answer_in_json(tmp_path: Path) -> None:
    answer = _solve(tmp_path, {"level": 0.8, "max_cvar": 20}).to_dict()
    assert answer["risk_limits"][0]["name"] == "max_cvar"
    assert answer["regulatory_only_cost"] == pytest.approx(0.5 * M)
    assert answer["risk_solve"]["years"] == 10 and answer["risk_solve"]["loss_years"] == 3
    assert not any(name.startswith("risk_cut") for name in answer["duals"])
