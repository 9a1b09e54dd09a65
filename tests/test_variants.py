"""What-if variants (optimizer/workbench/variants.py) and sweeps (optimizer/workbench/sweep.py)."""

from pathlib import Path

import pytest

from optimizer import CaseError, load_case, optimal_cost
from optimizer.workbench.sweep import Parameter, default_values, sweep, with_value
from optimizer.workbench.variants import (
    NO_LIMIT,
    Levers,
    Target,
    TargetKind,
    apply_levers,
    premium_targets,
    set_path,
    variant_case,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
MIDSIZE = load_case(EXAMPLES / "jp-midsize.yaml")
INSURANCE = Target(TargetKind.KIND, "insurance")


def test_neutral_levers_change_nothing():
    assert Levers().is_neutral()
    assert Levers(premium_scale={INSURANCE: 1.0}).is_neutral()
    assert variant_case(MIDSIZE, Levers()) == MIDSIZE


def test_levers_are_applied_to_the_raw_data_without_touching_it():
    data = MIDSIZE.model_dump(mode="json")
    levers = Levers(
        requirement=12e9,
        cash_cost_rate=0.08,
        premium_scale={INSURANCE: 2.0, Target(TargetKind.COUNTERPARTY, "Bank A"): 0.5},
        max_insurance_fraction=NO_LIMIT,
        min_cash_fraction=0.3,
    )
    changed = apply_levers(data, levers)
    assert data == MIDSIZE.model_dump(mode="json")  # the input is a deep copy's source, untouched
    assert changed["requirement"]["amount"] == 12e9
    by_id = {item["id"]: item for item in changed["instruments"]}
    assert by_id["cash"]["cost_rate"] == 0.08
    assert by_id["xl-2"]["premium_rate"] == pytest.approx(0.07)  # 0.035 x 2
    assert by_id["lc-bank-a"]["fee_rate"] == pytest.approx(0.006)  # Bank A's quote x 0.5
    assert by_id["lc-bank-b"]["fee_rate"] == 0.015  # Bank B untouched
    assert by_id["cat-1"]["premium"] == 40_000_000  # parametric is not insurance
    assert changed["constraints"]["max_insurance_fraction"] is None
    assert changed["constraints"]["min_cash_fraction"] == 0.3


def test_a_lever_pushed_out_of_range_gets_the_file_message():
    # 0.06 x 20 = 1.2: a rate above 1, refused as a file would be.
    with pytest.raises(CaseError, match=r"instruments\[3\]\.premium_rate must be between 0 and 1"):
        variant_case(MIDSIZE, Levers(premium_scale={INSURANCE: 20.0}))


def test_levers_round_trip_through_their_stored_form():
    levers = Levers(requirement=5e9, premium_scale={INSURANCE: 1.5}, max_insurance_fraction=NO_LIMIT)
    assert Levers.from_dict(levers.to_dict()) == levers


def test_premium_targets_list_kinds_then_counterparties_in_case_order():
    labels = [target.label() for target in premium_targets(MIDSIZE)]
    assert labels[:3] == ["all guarantees", "all insurance", "all parametric cover"]
    assert labels[3:] == ["Bank A", "Bank B", "Syndicate A", "Insurer B", "Insurer C", "Insurer D", "Dealer E"]


def test_set_path_applies_a_fix_field():
    data = MIDSIZE.model_dump(mode="json")
    fixed = set_path(data, "instruments[1].max_amount", 3e9)
    assert fixed["instruments"][1]["max_amount"] == 3e9
    assert data["instruments"][1]["max_amount"] == 2e9
    assert set_path(data, "constraints.max_insurance_fraction", 0.6)["constraints"]["max_insurance_fraction"] == 0.6
    with pytest.raises(KeyError, match="does not exist"):
        set_path(data, "instruments[40].max_amount", 1.0)
    # A regime's fix names an assumption that the case may not override yet.
    regime = load_case(EXAMPLES / "jp-midsize-regime.yaml").model_dump(mode="json")
    fixed = set_path(regime, "requirement.assumptions.insurance_share", 0.6)
    assert fixed["requirement"]["assumptions"] == {"insurance_share": 0.6}


def test_the_cheapest_fix_of_the_infeasible_example_makes_it_feasible():
    from optimizer import check_case, optimize

    case = load_case(EXAMPLES / "jp-midsize-infeasible.yaml")
    fix = optimize(case).fixes[0]
    fixed = check_case(set_path(case.model_dump(mode="json"), fix.field, fix.proposed))
    assert optimal_cost(fixed) == pytest.approx(fix.total_cost)


def test_sweep_of_r_matches_single_solves():
    # Not monotone in general: the caps are fractions of R, so a larger R also loosens them
    # (jp-midsize's cost falls just above R = ¥11bn as the 50% insurance cap grows).
    values = default_values(MIDSIZE, Parameter.REQUIREMENT, points=5)
    assert values == pytest.approx([5e9, 7.5e9, 10e9, 12.5e9, 15e9])
    points = sweep(MIDSIZE, Levers(), Parameter.REQUIREMENT, values)
    for point in points:
        assert point.cost == pytest.approx(optimal_cost(variant_case(MIDSIZE, Levers(requirement=point.value))))
    assert points[2].cost == pytest.approx(optimal_cost(MIDSIZE))


def test_a_failed_sweep_point_is_recorded_not_raised():
    # Without insurance (cap 0) the guarantees and cash must carry R: possible (cash is unbounded).
    # With a premium scale of 40 the primary's 0.06 becomes 2.4, an invalid rate: that point fails.
    points = sweep(MIDSIZE, Levers(), Parameter.PREMIUM_SCALE, [1.0, 40.0], target=INSURANCE)
    assert points[0].cost is not None
    assert points[1].cost is None and "premium_rate must be between 0 and 1" in points[1].note
    infeasible = load_case(EXAMPLES / "jp-midsize-infeasible.yaml")
    point = sweep(infeasible, Levers(), Parameter.MAX_INSURANCE_FRACTION, [0.5])[0]
    assert point.cost is None and point.note == "infeasible"


def test_cost_never_falls_when_premiums_rise():
    points = sweep(MIDSIZE, Levers(), Parameter.PREMIUM_SCALE, [0.5, 1.0, 1.5, 2.0], target=INSURANCE)
    costs = [point.cost for point in points]
    assert costs == sorted(costs)


def test_with_value_sets_one_lever():
    assert with_value(Levers(), Parameter.CASH_COST_RATE, 0.1).cash_cost_rate == 0.1
    assert with_value(Levers(), Parameter.PREMIUM_SCALE, 2.0, INSURANCE).premium_scale == {INSURANCE: 2.0}
    with pytest.raises(ValueError, match="needs the target"):
        with_value(Levers(), Parameter.PREMIUM_SCALE, 2.0)


REGIME = load_case(EXAMPLES / "jp-midsize-regime.yaml")


def test_a_regime_assumption_lever_moves_r():
    from optimizer.rules.requirement import requirement_basis

    lowered = variant_case(REGIME, Levers(assumptions={"custody_rate": 0.005}))
    assert lowered.requirement.regime == "jp-fsa-draft"
    assert lowered.requirement.assumptions["custody_rate"] == 0.005
    assert requirement_basis(lowered).amount < requirement_basis(REGIME).amount
    assert Levers().with_assumption("floor", 1e9).with_assumption("floor", None) == Levers()


def test_an_assumption_sweep_runs_from_zero_to_twice_its_value():
    values = default_values(REGIME, Parameter.ASSUMPTION, points=5, around=0.5)
    assert values == pytest.approx([0.0, 0.25, 0.5, 0.75, 1.0])
    assert default_values(REGIME, Parameter.ASSUMPTION, points=3, around=2e9, fraction=False) == [0.0, 2e9, 4e9]
    points = sweep(REGIME, Levers(), Parameter.ASSUMPTION, [0.25, 0.5], target="insurance_share")
    assert points[0].cost is not None and points[1].cost is not None
    assert points[0].cost >= points[1].cost  # a looser insurance cap never costs more
    with pytest.raises(ValueError, match="needs the assumption's name"):
        with_value(Levers(), Parameter.ASSUMPTION, 0.1)
