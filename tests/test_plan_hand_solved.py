"""Transition plans small enough to solve by hand (model.md section 7), with the working beside each.

All in face mode with R given, so a year's test is "cash + credited cover >= R_t". Money in
¥bn in the comments.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest

from optimizer import Status, check_case
from optimizer.plan.pipeline import optimize_plan, plan_cost
from optimizer.plan.years import plan_years

BN = 1e9

# The bridge: 3 years, R = 10, phase-in 40% / 70% / 100% -> R_t = 4, 7, 10. Cash costs 5% a
# year; a parametric cover paying 1 per unit above a zero trigger (so it credits fully in face
# mode) costs 4% and is on offer in years 1-2 only (interim: 2). At most 4 set aside a year,
# nothing at the start, no release, discount 3%.
BRIDGE: dict[str, Any] = {
    "name": "bridge",
    "currency": "JPY",
    "requirement": {"amount": 10 * BN},
    "coverage": "face",
    "instruments": [
        {"id": "cash", "kind": "cash", "cost_rate": 0.05},
        {
            "id": "cat",
            "kind": "parametric",
            "counterparty": "Dealer",
            "trigger": 0,
            "payout": 1 * BN,
            "premium": 0.04 * BN,
            "max_units": 10,
        },
    ],
    "plan": {
        "years": 3,
        "requirement_fractions": [0.4, 0.7, 1.0],
        "max_set_aside": 4 * BN,
        "discount_rate": 0.03,
        "instruments": {"cat": {"interim": 2}},
    },
}


def _with_plan(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    changed["plan"].update(changes)
    return changed


def test_the_bridge_is_cheaper_than_early_cash():
    # Year 3 has no cover: C3 >= 10. C3 <= C2 + 4 -> C2 >= 6; C2 <= C1 + 4 -> C1 >= 2.
    # Year 1: C1 + cat1 >= 4 with C1 in [2, 4]; the cover (4%) beats cash (5%) and a lower C1
    #   costs nothing later (C2 >= 6 anyway): C1 = 2, cat1 = 2. Cost 0.10 + 0.08 = 0.18.
    # Year 2: C2 in [6, C1 + 4 = 6] -> C2 = 6, cat2 = 1. Cost 0.30 + 0.04 = 0.34.
    # Year 3: C3 = 10 (<= 6 + 4). Cost 0.50.
    # Discounted: 0.18 + 0.34 / 1.03 + 0.50 / 1.03^2 = 0.18 + 0.330097 + 0.471298 = 0.981395.
    solution = optimize_plan(check_case(BRIDGE))
    assert solution.status is Status.OPTIMAL and solution.verified
    cash = [year.cash / BN for year in solution.years]
    cover = [year.allocations[1].amount / BN for year in solution.years]
    costs = [year.annual_cost / BN for year in solution.years]
    assert cash == pytest.approx([2, 6, 10])
    assert cover == pytest.approx([2, 1, 0])
    assert costs == pytest.approx([0.18, 0.34, 0.50])
    assert [year.set_aside / BN for year in solution.years] == pytest.approx([2, 4, 4])
    assert solution.discounted_cost == pytest.approx((0.18 + 0.34 / 1.03 + 0.50 / 1.03**2) * BN)
    assert solution.years[2].unavailable == ("cat",)
    # Early cash instead (no cover at all): C_t = R_t = 4, 7, 10, costs 0.20, 0.35, 0.50:
    # 0.20 + 0.35 / 1.03 + 0.50 / 1.03^2 = 1.011104 > 0.981395.
    no_bridge = copy.deepcopy(BRIDGE)
    no_bridge["instruments"] = no_bridge["instruments"][:1]
    del no_bridge["plan"]["instruments"]
    early = plan_cost(check_case(no_bridge))
    assert early == pytest.approx((0.20 + 0.35 / 1.03 + 0.50 / 1.03**2) * BN)
    assert solution.discounted_cost < early


def test_set_aside_capacity_duals_by_hand_and_by_finite_differences():
    # One more unit of capacity in year 3 lets C2 fall by one (cat2 +1: saves 0.05 - 0.04 in
    # year 2, discounted by 1.03) and C1 with it (saves 0.01 in year 1): 0.01 / 1.03 + 0.01.
    # In year 2 it lets C1 fall by one: 0.01. In year 1 the capacity has room: 0.
    solution = optimize_plan(check_case(BRIDGE))
    values = [year.capacity_value for year in solution.years]
    assert values == pytest.approx([0.0, 0.01, 0.01 / 1.03 + 0.01])
    base = solution.discounted_cost
    assert base is not None
    step = 0.01 * BN  # the path stays on the same basis within ±0.1 of capacity
    for index, value in enumerate(values):
        for sign in (1, -1):
            capacities = [4 * BN] * 3
            capacities[index] += sign * step
            moved = plan_cost(check_case(_with_plan(BRIDGE, max_set_aside=capacities)))
            assert moved is not None
            assert (base - moved) / (sign * step) == pytest.approx(value, abs=1e-9)


def test_release_lets_cash_follow_a_falling_requirement():
    # R = 10, fractions 1.0 then 0.5 -> R_t = 10, 5; 8 already set aside; a guarantee at 2%
    # up to 4; cash at 5%; no capacity limit.
    # No release: C1, C2 >= 8. Year 1: 8 cash + 2 guarantee = 0.40 + 0.04 = 0.44;
    #   year 2: 8 cash (already above 5) = 0.40. Total 0.84.
    # Release: year 1: 6 cash + 4 guarantee = 0.30 + 0.08 = 0.38 (2 released);
    #   year 2: 1 cash + 4 guarantee = 0.05 + 0.08 = 0.13 (5 released). Total 0.51.
    data = {
        "name": "falling",
        "currency": "JPY",
        "requirement": {"amount": 10 * BN},
        "coverage": "face",
        "instruments": [
            {"id": "cash", "kind": "cash", "cost_rate": 0.05},
            {"id": "lc", "kind": "guarantee", "counterparty": "Bank", "fee_rate": 0.02, "max_amount": 4 * BN},
        ],
        "plan": {"years": 2, "requirement_fractions": [1.0, 0.5], "starting_cash": 8 * BN},
    }
    kept = optimize_plan(check_case(data))
    assert [year.cash / BN for year in kept.years] == pytest.approx([8, 8])
    assert kept.discounted_cost == pytest.approx(0.84 * BN)
    released = optimize_plan(check_case(_with_plan(data, allow_release=True)))
    assert [year.cash / BN for year in released.years] == pytest.approx([6, 1])
    assert [year.release / BN for year in released.years] == pytest.approx([2, 5])
    assert [year.set_aside for year in released.years] == [0, 0]
    assert released.discounted_cost == pytest.approx(0.51 * BN)


SHORT: dict[str, Any] = {
    "name": "short",
    "currency": "JPY",
    "requirement": {"amount": 6 * BN},
    "coverage": "face",
    "instruments": [
        {"id": "cash", "kind": "cash", "cost_rate": 0.05},
        {
            "id": "xl",
            "kind": "insurance",
            "counterparty": "Insurer",
            "attachment": 0,
            "limit": 5 * BN,
            "premium_rate": 0.02,
        },
    ],
    "constraints": {"max_insurance_fraction": 0.4},
    "plan": {"years": 2, "requirement_fractions": [0.5, 1.0], "starting_cash": 0.5 * BN, "max_set_aside": 1.5 * BN},
}


def test_an_infeasible_year_is_diagnosed_in_money_with_the_least_capacity_that_works():
    # R_t = 3, 6. Most cash: 0.5 + 1.5 = 2 in year 1, 3.5 in year 2. Insurance at most 40%:
    # 1.2, 2.4. Year 1: 2 + 1.2 = 3.2 >= 3. Year 2: 3.5 + 2.4 = 5.9 < 6: 0.1 short.
    # Fix: year 2 needs C2 >= 3.6 = 0.5 + 2 x capacity -> capacity 1.55 (3.3% more).
    # Then C1 = 2.05 (the most, since C2 <= C1 + 1.55), xl 0.95 in year 1: 0.1025 + 0.019;
    # C2 = 3.6, xl 2.4 in year 2: 0.18 + 0.048. Total 0.3495 (no discount).
    solution = optimize_plan(check_case(SHORT))
    assert solution.status is Status.INFEASIBLE
    assert solution.discounted_cost is None
    (short,) = solution.diagnosis
    assert short.shortfall == pytest.approx(0.1 * BN)
    assert short.text == (
        "in year 2 the most cash you can have is ¥3.5bn (¥500m at the start plus the set-aside capacity "
        "of years 1-2) and insurance may cover at most 40% of the requirement (¥2.4bn): ¥100m of the "
        "¥6.0bn requirement cannot be met"
    )
    (fix,) = solution.fixes
    assert fix.field == "plan.max_set_aside"
    assert fix.proposed == pytest.approx(1.55 * BN)
    assert fix.total_cost == pytest.approx(0.3495 * BN)
    fixed = plan_cost(check_case(_with_plan(SHORT, max_set_aside=fix.proposed)))
    assert fixed == pytest.approx(fix.total_cost)


def test_starting_cash_that_cannot_stay_is_diagnosed_with_the_release_fix():
    # Cash may hold at most 1 (max_amount), but 2 is already set aside and may not be released.
    data = copy.deepcopy(SHORT)
    data["instruments"][0]["max_amount"] = 1 * BN
    data["constraints"] = {}
    data["plan"] = {"years": 1, "starting_cash": 2 * BN}
    solution = optimize_plan(check_case(data))
    assert solution.status is Status.INFEASIBLE
    texts = [item.text for item in solution.diagnosis]
    assert any("¥1.0bn of the starting cash would have to be released" in text for text in texts), texts
    assert [fix.field for fix in solution.fixes] == ["plan.allow_release"]


def test_capacity_as_a_share_of_profit_or_volume_takes_the_smaller_limit():
    # Profit 2 growing 50% a year: half of it is 1.0, 1.5, 2.25; with max_set_aside 1.2 the
    # smaller applies: 1.0, 1.2, 1.2.
    data = _with_plan(
        BRIDGE,
        max_set_aside=1.2 * BN,
        max_set_aside_share={"fraction": 0.5, "of": "profit"},
        profit=2 * BN,
        growth={"profit": 0.5},
    )
    assert [year.capacity for year in plan_years(check_case(data))] == pytest.approx([1.0 * BN, 1.2 * BN, 1.2 * BN])
    data["plan"]["max_set_aside_share"] = {"fraction": 0.001, "of": "trading_volume"}
    data["plan"]["growth"] = {"trading_volume": 0.1}
    del data["plan"]["max_set_aside"], data["plan"]["profit"]
    data["exchange"] = {"trading_volume": 1000 * BN}
    # 0.1% of 1000, 1100, 1210.
    assert [year.capacity for year in plan_years(check_case(data))] == pytest.approx([1.0 * BN, 1.1 * BN, 1.21 * BN])


def test_the_rulebook_is_applied_to_the_grown_profile_and_prices_follow_their_trend():
    # jp-fsa-draft: R = max(0.05% x volume, 1% x (hot + cold)) within [2bn, 40bn]. Cold custody
    # 760 growing 10%: custody term 1% x (40 + 760 x 1.1^(t-1)) = 8.0, 8.76, 9.596; phase-in
    # 50%, 100%, 100% -> 4.0, 8.76, 9.596. The insurance premium 3% rising 10% a year.
    data = {
        "name": "grown",
        "currency": "JPY",
        "requirement": {"regime": "jp-fsa-draft"},
        "coverage": "face",
        "exchange": {
            "trading_volume": 1000 * BN,
            "client_crypto_hot": 40 * BN,
            "client_crypto_cold": 760 * BN,
        },
        "instruments": [
            {"id": "cash", "kind": "cash", "cost_rate": 0.05},
            {
                "id": "xl",
                "kind": "insurance",
                "counterparty": "Insurer",
                "attachment": 0,
                "limit": 5 * BN,
                "premium_rate": 0.03,
            },
        ],
        "plan": {
            "years": 3,
            "requirement_fractions": [0.5, 1.0, 1.0],
            "growth": {"client_crypto_cold": 0.1},
            "instruments": {"xl": {"price_trend": 0.1}},
        },
    }
    years = plan_years(check_case(data))
    assert [year.basis.amount for year in years] == pytest.approx([4.0 * BN, 8.76 * BN, 9.596 * BN])
    premiums = [year.case.instrument("xl").premium_rate for year in years]  # type: ignore[union-attr]
    assert premiums == pytest.approx([0.03, 0.033, 0.0363])
    solution = optimize_plan(check_case(data))
    assert solution.status is Status.OPTIMAL
    # Insurance (<= 50% of R_t by the rulebook's insurance_share) at 3%-3.63% beats cash at 5%.
    for year in solution.years:
        assert year.allocations[1].credited == pytest.approx(min(0.5 * year.requirement, 5 * BN))
        assert math.isclose(year.cash + year.allocations[1].credited, year.requirement, rel_tol=1e-9)
