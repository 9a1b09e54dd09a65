"""Tiny cases solved by hand: each test carries its calculation (amounts in ¥bn, costs a year).

Notation: C cash, G guarantee, s share of a layer, u parametric units. A layer "l xs a" pays
s x clip(b - a, 0, l) for a single loss b. The ladder test checks every breakpoint b in (0, R];
the face test checks C + credited face >= R (model.md section 2).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import decisions_of

from optimizer import Status, check_case, optimize, requirement_basis, verify_solution

BN = 1e9


def _case(instruments: list[dict[str, Any]], requirement: float = 10, coverage: str = "ladder", **limits: Any):
    data: dict[str, Any] = {
        "name": "hand-solved",
        "currency": "JPY",
        "requirement": {"amount": requirement * BN},
        "coverage": coverage,
        "instruments": instruments,
    }
    if limits:
        data["constraints"] = limits
    return check_case(data)


def _cash(rate: float = 0.05, **extra: Any) -> dict[str, Any]:
    return {"id": "cash", "kind": "cash", "cost_rate": rate, **extra}


def _layer(name: str, attachment: float, limit: float, rate: float, **extra: Any) -> dict[str, Any]:
    return {
        "id": name,
        "kind": "insurance",
        "counterparty": f"Insurer {name}",
        "attachment": attachment * BN,
        "limit": limit * BN,
        "premium_rate": rate,
        **extra,
    }


def _solve(case):
    solution = optimize(case)
    assert solution.status is Status.OPTIMAL
    assert verify_solution(case, requirement_basis(case), decisions_of(solution), solution.total_cost) == []
    return solution


def _bought(solution) -> dict[str, float]:
    """Money bought per instrument, in ¥bn."""
    return {item.id: item.amount / BN for item in solution.allocations}


def _families(solution) -> set[str]:
    return {item.family for item in solution.binding}


def _approx(value: float):
    return pytest.approx(value, rel=1e-9, abs=1e-9)


# --- (1) face versus ladder ------------------------------------------------------------------


def test_layer_ending_at_r_costs_the_same_under_both_tests():
    # R = 10, cash 5%, layer 4 xs 6 at 1% rate on line (premium 0.04 x s).
    # Ladder: breakpoints 6 and 10.
    #   b = 6:  C          >= 6
    #   b = 10: C + 4s     >= 10
    #   a unit of cover costs 0.05 from cash, 0.01 from the layer: s = 1, C = 6.
    #   cost = 0.05 x 6 + 0.04 = 0.34; one more yen of R must be cash: marginal 0.05.
    # Face: C + 4s >= 10, same optimum s = 1, C = 6, cost 0.34. The layer sits inside (0, R], so
    # cash funds 0..6 under both tests and they agree.
    instruments = [_cash(), _layer("xl", 6, 4, 0.01)]
    for coverage in ("ladder", "face"):
        solution = _solve(_case(instruments, coverage=coverage))
        assert solution.total_cost == _approx(0.34 * BN)
        assert _bought(solution) == {"cash": _approx(6), "xl": _approx(4)}
        assert solution.marginal_cost_of_requirement == _approx(0.05)
        assert _families(solution) == {coverage, "capacity"}


def test_gap_in_the_tower_and_cover_above_r_make_the_ladder_dearer_than_face():
    # R = 10, cash 5%, layers 2 xs 2 (covers 2..4) and 6 xs 6 (covers 6..12), both at 1%,
    # with a gap from 4 to 6 and the upper layer reaching past R.
    # Ladder: breakpoints 2, 4, 6, 10 (12 > R is left out).
    #   b = 2:  C                >= 2
    #   b = 4:  C + 2s1          >= 4
    #   b = 6:  C + 2s1          >= 6      <- the gap: nothing pays between 4 and 6
    #   b = 10: C + 2s1 + 4s2    >= 10     <- only 4 of the upper layer's 6 pays at R
    #   s1 = 1 saves 2 of cash (0.10) for 0.02; s2 = 1 saves 4 (0.20) for 0.06: buy both.
    #   Then C >= 4 (from b = 6 and b = 10): cost 0.20 + 0.02 + 0.06 = 0.28.
    #   Marginal cost of R: at R + dR the upper layer pays dR more too (it is partly used at
    #   R, s2 = 1), so C stays 4: 0.
    # Face: C + 2s1 + 6s2 >= 10: s1 = s2 = 1, C = 2; cost 0.10 + 0.02 + 0.06 = 0.18,
    #   marginal 0.05 (the next yen is cash).
    instruments = [_cash(), _layer("low", 2, 2, 0.01), _layer("high", 6, 6, 0.01)]
    ladder = _solve(_case(instruments, coverage="ladder"))
    assert ladder.total_cost == _approx(0.28 * BN)
    assert _bought(ladder) == {"cash": _approx(4), "low": _approx(2), "high": _approx(6)}
    assert ladder.marginal_cost_of_requirement == _approx(0.0)
    assert _families(ladder) == {"ladder", "capacity"}
    assert ladder.ladder_minimum_margin == _approx(0.0)
    face = _solve(_case(instruments, coverage="face"))
    assert face.total_cost == _approx(0.18 * BN)
    assert _bought(face) == {"cash": _approx(2), "low": _approx(2), "high": _approx(6)}
    assert face.marginal_cost_of_requirement == _approx(0.05)
    assert _families(face) == {"face", "capacity"}
    # The face mix fails the ladder test: for a single loss of 6 only C = 2 + 2 = 4 pays.
    assert face.ladder_minimum_margin == _approx(-2 * BN)


# --- (2) the retention ----------------------------------------------------------------------


def test_retention_below_the_lowest_attachment_is_funded_by_cash_and_guarantees():
    # R = 10, cash 5%, guarantee 1% up to 1, layer 10 xs 3 at 1% of which the insurer writes
    # at most 90% (premium 0.10 x s).
    # Ladder: breakpoints 3, 10 (13 > R).
    #   b = 3:  C + G          >= 3
    #   b = 10: C + G + 7s     >= 10
    #   The layer costs 0.10/7 per unit of cover at R, below cash: s = 0.9, paying 6.3 at R.
    #   C + G >= 3.7 (b = 10 binds; b = 3 has 0.7 to spare); G = 1 (cheaper), C = 2.7.
    #   cost = 0.135 + 0.01 + 0.09 = 0.235.
    #   Marginal cost of R: C + G + 0.9 (R - 3) >= R, so C grows by 0.1 per yen: 0.05 x 0.1 = 0.005.
    # Face: C + G + 10s >= 10: s = 0.9 (9), G = 1, C = 0: cost 0.01 + 0.09 = 0.10. The layer's
    #   face counts in full, so face mode never funds the ¥3bn retention.
    guarantee = {"id": "lc", "kind": "guarantee", "counterparty": "Bank A", "fee_rate": 0.01, "max_amount": 1 * BN}
    instruments = [_cash(), guarantee, _layer("xl", 3, 10, 0.01, max_share=0.9)]
    ladder = _solve(_case(instruments))
    assert ladder.total_cost == _approx(0.235 * BN)
    assert _bought(ladder) == {"cash": _approx(2.7), "lc": _approx(1), "xl": _approx(9)}
    assert ladder.allocation("xl").share == _approx(0.9)
    assert ladder.marginal_cost_of_requirement == _approx(0.005)
    assert _families(ladder) == {"ladder", "capacity"}
    assert [b.name for b in ladder.binding if b.family == "ladder"] == ["ladder__10000000000"]
    face = _solve(_case(instruments, coverage="face"))
    assert face.total_cost == _approx(0.10 * BN)
    assert _bought(face) == {"cash": _approx(0), "lc": _approx(1), "xl": _approx(9)}


# --- (3) the insurance cap ------------------------------------------------------------------


def test_insurance_cap_binding_in_face_mode():
    # R = 10, cash 5%, layer 20 xs 0 at 1% (premium 0.20 x s), insurance at most 40% of R.
    #   face: C + 20s >= 10;  cap: 20s <= 4  ->  s = 0.2, C = 6.
    #   cost = 0.30 + 0.04 = 0.34.
    # Marginal cost of R: per yen of R the cap allows 0.4 more insurance and cash covers 0.6:
    #   0.6 x 0.05 + 0.4 x 0.01 = 0.034.
    #   Duals: face row 0.05 (the next yen is cash); cap row 0.01 - 0.05 = -0.04 (a yen of cap
    #   swaps a yen of cash for a yen of insurance); 0.05 x 1 - 0.04 x 0.4 = 0.034.
    solution = _solve(_case([_cash(), _layer("xl", 0, 20, 0.01)], coverage="face", max_insurance_fraction=0.4))
    assert solution.total_cost == _approx(0.34 * BN)
    assert _bought(solution) == {"cash": _approx(6), "xl": _approx(4)}
    assert solution.marginal_cost_of_requirement == _approx(0.034)
    assert _families(solution) == {"face", "insurance_cap"}
    prices = {b.family: b.shadow_price for b in solution.binding}
    assert prices == {"face": _approx(0.05), "insurance_cap": _approx(-0.04)}


def test_insurance_cap_binding_in_ladder_mode_on_a_layer_wider_than_r():
    # Same case, ladder test. The layer 20 xs 0 pays s x b for b <= 10, so only b = 10 matters:
    #   C + 10s >= 10;  cap (on credited face, all 20 of it): 20s <= 4  ->  s = 0.2, C = 8.
    #   cost = 0.40 + 0.04 = 0.44.
    # Marginal cost of R: with s = 0.02 R (the cap) and C = R (1 - s) the cost is
    #   0.05 R (1 - 0.02 R) + 0.20 x 0.02 R = 0.054 R - 0.001 R^2, derivative 0.054 - 0.002 R = 0.034.
    #   Duals: ladder row 0.05, moving by 1 - s = 0.8 (the partly used layer pays more too);
    #   cap row: a yen of cap buys 1/20 share = 0.5 of cover at R, saving 0.025 of cash for
    #   0.01 of premium: -0.015, moving by 0.4. 0.05 x 0.8 - 0.015 x 0.4 = 0.034.
    solution = _solve(_case([_cash(), _layer("xl", 0, 20, 0.01)], max_insurance_fraction=0.4))
    assert solution.total_cost == _approx(0.44 * BN)
    assert _bought(solution) == {"cash": _approx(8), "xl": _approx(4)}
    assert solution.marginal_cost_of_requirement == _approx(0.034)
    prices = {b.family: b.shadow_price for b in solution.binding}
    assert prices == {"ladder": _approx(0.05), "insurance_cap": _approx(-0.015)}


def test_a_cap_on_credited_face_can_make_a_lower_requirement_dearer():
    # As the model is written (model.md section 3: the cap applies to credited face), a layer
    # wider than R counts in full against f x R while only its part below R pays: then a
    # LOWER requirement can cost MORE. Cash 5%, layer 20 xs 0 at 1%, cap 80%, ladder test:
    #   R = 10: C + 10s >= 10, 20s <= 8  ->  s = 0.4, C = 6:  cost 0.30 + 0.08 = 0.38
    #   R = 20: C + 20s >= 20, 20s <= 16 ->  s = 0.8, C = 4:  cost 0.20 + 0.16 = 0.36
    # This pins the behaviour (and is why test_invariants drops the caps before testing that
    # cost is non-decreasing in R); whether the rule should count only the face below R is
    # a modelling question for model.md, not for this test.
    instruments = [_cash(), _layer("xl", 0, 20, 0.01)]
    small = _solve(_case(instruments, requirement=10, max_insurance_fraction=0.8))
    large = _solve(_case(instruments, requirement=20, max_insurance_fraction=0.8))
    assert small.total_cost == _approx(0.38 * BN)
    assert large.total_cost == _approx(0.36 * BN)
    assert _bought(small) == {"cash": _approx(6), "xl": _approx(8)}
    assert _bought(large) == {"cash": _approx(4), "xl": _approx(16)}
    # d/dR of 0.05 R (1 - 0.04 R) + 0.008 R at R = 10: 0.058 - 0.04 = 0.018.
    assert small.marginal_cost_of_requirement == _approx(0.018)


# --- (4) parametric trigger ------------------------------------------------------------------


def test_parametric_cover_does_not_pay_at_its_own_trigger():
    # R = 10, cash 5%, layer 4 xs 6 at 1% (0.04 x s), parametric trigger 6 (exactly the layer's
    # attachment), payout 8 per unit, premium 0.04 per unit, at most 1 unit.
    # Ladder: breakpoints 6 and 10. At b = 6 the check takes the left limit: the cover has
    # not paid yet.
    #   b = 6:  C                >= 6
    #   b = 10: C + 4s + 8u      >= 10
    #   Cover at R costs 0.01 per yen from the layer, 0.005 from the parametric: u = 0.5.
    #   cost = 0.30 + 0.02 = 0.32.  (Paying at the trigger, b = 6 would read C + 8u >= 6 and
    #   the optimum would be u = 1, C = 2, cost 0.14.)
    #   Duals: u basic: 8 pi_10 = 0.04 -> pi_10 = 0.005; C basic: pi_6 + pi_10 = 0.05 -> pi_6 = 0.045.
    #   Marginal cost of R: pi_10 = 0.005. Break-even rate of the layer: 4 x pi_10 / 4 = 0.005.
    cat = {
        "id": "cat",
        "kind": "parametric",
        "counterparty": "Dealer",
        "trigger": 6 * BN,
        "payout": 8 * BN,
        "premium": 0.04 * BN,
        "max_units": 1,
    }
    solution = _solve(_case([_cash(), _layer("xl", 6, 4, 0.01), cat]))
    assert solution.total_cost == _approx(0.32 * BN)
    assert _bought(solution) == {"cash": _approx(6), "xl": _approx(0), "cat": _approx(4)}
    assert solution.allocation("cat").units == _approx(0.5)
    assert solution.marginal_cost_of_requirement == _approx(0.005)
    assert solution.duals["ladder__6000000000"] == _approx(0.045)
    assert solution.duals["ladder__10000000000"] == _approx(0.005)
    assert {(b.name, b.family) for b in solution.binding} == {
        ("ladder__6000000000", "ladder"),
        ("ladder__10000000000", "ladder"),
    }
    [signal] = solution.not_bought
    assert (signal.id, signal.price_field) == ("xl", "premium_rate")
    assert signal.break_even == _approx(0.005)

    # Trigger exactly at R: a single loss of R does not trigger it, so it counts for nothing.
    at_r = _solve(_case([_cash(), {**cat, "trigger": 10 * BN}]))
    assert at_r.total_cost == _approx(0.50 * BN)
    assert _bought(at_r) == {"cash": _approx(10), "cat": _approx(0)}
    assert at_r.not_bought[0].break_even == _approx(0.0)
    # Marginal cost of R: the left derivative, 0.05 (a smaller R is met by cash alone). To the
    # right the cover would pay for the loss above 10: R + dR needs only dR/8 units, 0.005 per
    # yen. The duals at R, where the cover pays nothing, report the left figure.
    assert at_r.marginal_cost_of_requirement == _approx(0.05)


# --- (5) minimum line (MILP) -----------------------------------------------------------------


def test_minimum_line_stops_the_lp_from_buying_a_sliver():
    # R = 10, cash 3% up to 9.9, guarantee 8% unbounded, layer 10 xs 0 at 5% (0.5 x s).
    # Ladder (only b = 10): C + G + 10s >= 10. Cost per yen: cash 0.03 < layer 0.05 < guarantee 0.08.
    #   LP: C = 9.9, then 0.1 from the layer: s = 0.01.  cost 0.297 + 0.005 = 0.302.
    #   With min_share 0.25 the insurer writes nothing or at least a quarter:
    #     s = 0:    G = 0.1            cost 0.297 + 0.008       = 0.305
    #     s = 0.25: C = 7.5, G = 0     cost 0.225 + 0.125       = 0.350
    #   MILP optimum: s = 0, G = 0.1, cost 0.305. Marginal cost of R (fixed LP): the guarantee, 0.08.
    cash = _cash(0.03, max_amount=9.9 * BN)
    guarantee = {"id": "lc", "kind": "guarantee", "counterparty": "Bank A", "fee_rate": 0.08}
    lp = _solve(_case([cash, guarantee, _layer("xl", 0, 10, 0.05)]))
    assert lp.total_cost == _approx(0.302 * BN)
    assert lp.allocation("xl").share == _approx(0.01)
    assert not lp.is_mip
    milp = _solve(_case([cash, guarantee, _layer("xl", 0, 10, 0.05, min_share=0.25)]))
    assert milp.is_mip
    assert milp.total_cost == _approx(0.305 * BN)
    assert _bought(milp) == {"cash": _approx(9.9), "lc": _approx(0.1), "xl": _approx(0)}
    assert milp.marginal_cost_of_requirement == _approx(0.08)
    assert _families(milp) == {"ladder", "capacity"}


# --- (6) an infeasible case ------------------------------------------------------------------


def test_infeasible_face_case_is_diagnosed_with_the_cheapest_fix_first():
    # R = 10 (face), cash 5% capped at 2, layer 10 xs 0 at 1% (0.10 x s), insurance at most 50%.
    #   C <= 2 and 10s <= 5, so C + 10s <= 7 < 10: 3 short.
    # Single fixes (each the least loosening), and the cost of the case they give:
    #   insurance cap 50% -> 80%:  C = 2, 10s = 8:  0.10 + 0.08 = 0.18   <- cheapest
    #   cash cap 2 -> 5:           C = 5, 10s = 5:  0.25 + 0.05 = 0.30
    #   (the layer's own capacity, 10, is not what binds)
    case = _case(
        [_cash(max_amount=2 * BN), _layer("xl", 0, 10, 0.01)],
        coverage="face",
        max_insurance_fraction=0.5,
    )
    solution = optimize(case)
    assert solution.status is Status.INFEASIBLE
    assert solution.total_cost is None
    [shortfall] = solution.diagnosis
    assert shortfall.constraint == "face"
    assert shortfall.shortfall == _approx(3 * BN)
    assert "¥3.0bn" in shortfall.text
    assert [(fix.field, fix.current, fix.proposed, fix.total_cost) for fix in solution.fixes] == [
        ("constraints.max_insurance_fraction", 0.5, _approx(0.8), _approx(0.18 * BN)),
        ("instruments[0].max_amount", 2 * BN, _approx(5 * BN), _approx(0.30 * BN)),
    ]


@pytest.mark.parametrize(
    ("limits", "family", "shortfall", "field", "current", "proposed"),
    [
        # No cash on offer, a cash floor of 33.333% of R = 10: 3.3333 short. The least change
        # is a floor of 0; rounding the room up to 4 digits (3.334) must not push it below 0.
        ({"min_cash_fraction": 0.33333}, "min_cash", 3.3333, "constraints.min_cash_fraction", 0.33333, 0.0),
        # Nothing pays within 30 days (the guarantee takes 40): same, for the liquidity floor.
        (
            {"liquidity": {"days": 30, "min_fraction": 0.33333}},
            "liquidity",
            3.3333,
            "constraints.liquidity.min_fraction",
            0.33333,
            0.0,
        ),
        # One bank may give at most 91.234567% of R: 0.87654330 short; the least change is a cap
        # of exactly 100% (rounding up would ask for 100.00057%, which is not a fraction).
        (
            {"max_counterparty_fraction": 0.91234567},
            "face",
            0.8765433,
            "constraints.max_counterparty_fraction",
            0.91234567,
            1.0,
        ),
    ],
)
def test_fix_that_takes_a_fraction_to_its_bound_is_offered(limits, family, shortfall, field, current, proposed):
    # R = 10 (face), one guarantee at 1%, unbounded, paying in 40 days; no cash.
    # With the limit removed (set to its bound) the case costs 10 x 0.01 = 0.10.
    guarantee = {"id": "lc", "kind": "guarantee", "counterparty": "Bank A", "fee_rate": 0.01, "payout_days": 40}
    solution = optimize(_case([guarantee], coverage="face", **limits))
    assert solution.status is Status.INFEASIBLE
    [short] = solution.diagnosis
    assert (short.constraint, short.shortfall) == (family, _approx(shortfall * BN))
    assert [(fix.field, fix.current, fix.proposed, fix.total_cost) for fix in solution.fixes] == [
        (field, current, proposed, _approx(0.10 * BN))
    ]


def test_breakpoints_closer_than_one_unit_of_money_get_rows_of_their_own():
    # EUR case with cents: R = 100,000.40, cash 5%, layer 100,000 xs 0 at 1% (premium 1,000 x s).
    # Breakpoints 100,000 (the layer is exhausted) and R = 100,000.40: both used to be named
    # ladder__100000, and PuLP refused the second row (PulpError: overlapping constraint names).
    #   b = 100,000:     C + 100,000 s >= 100,000
    #   b = 100,000.40:  C + 100,000 s >= 100,000.40
    #   s = 1 (1% < 5%), C = 0.40: cost 1,000 + 0.02 = 1,000.02; marginal cost of R: cash, 0.05.
    data = {
        "name": "cents",
        "currency": "EUR",
        "requirement": {"amount": 100_000.40},
        "instruments": [
            _cash(),
            {
                "id": "xl",
                "kind": "insurance",
                "counterparty": "A",
                "attachment": 0,
                "limit": 100_000,
                "premium_rate": 0.01,
            },
        ],
    }
    solution = _solve(check_case(data))
    assert solution.total_cost == pytest.approx(1_000.02, abs=1e-6)
    assert solution.allocation("cash").amount == pytest.approx(0.40, abs=1e-9)
    assert solution.allocation("xl").share == _approx(1.0)
    assert solution.marginal_cost_of_requirement == _approx(0.05)
    assert sorted(name for name in solution.duals if name.startswith("ladder__")) == [
        "ladder__100000",
        "ladder__100000__1",
    ]
