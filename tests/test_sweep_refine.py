"""The What-if sweep refines its grid where the optimal cost bends or feasibility changes."""

from __future__ import annotations

from pathlib import Path

from optimizer import load_case
from optimizer.workbench.sweep import Parameter, default_values, refined_sweep, sweep
from optimizer.workbench.variants import Levers

CASE = load_case(Path(__file__).resolve().parent.parent / "data" / "examples" / "jp-midsize.yaml")
R = 10e9


def kinked(variant):
    # Piecewise linear in R with one bend at 1.23 R, infeasible above 1.41 R.
    amount = variant.requirement.amount
    if amount > 1.41 * R:
        return None
    return 0.02 * amount + (0.05 * (amount - 1.23 * R) if amount > 1.23 * R else 0.0)


def test_extra_points_go_to_the_bend_and_the_feasibility_edge():
    values = default_values(CASE, Parameter.REQUIREMENT)  # 0.5 R .. 1.5 R in tenths
    plain = sweep(CASE, Levers(), Parameter.REQUIREMENT, values, cost=kinked)
    refined = refined_sweep(CASE, Levers(), Parameter.REQUIREMENT, values, extra=8, cost=kinked)
    assert len(plain) == 11 and 11 < len(refined) <= 19
    added = sorted({point.value for point in refined} - set(values))
    # Every added point lies in the interval around the bend (1.2 R, 1.3 R) or the edge (1.4 R, 1.5 R).
    assert all(1.2 * R < value < 1.3 * R or 1.4 * R < value < 1.5 * R for value in added), added
    edge = [value for value in added if value > 1.4 * R]
    assert edge and min(abs(value - 1.41 * R) for value in edge) < 0.02 * R
    assert [point.value for point in refined] == sorted(point.value for point in refined)


def test_a_straight_line_gets_no_extra_points():
    values = default_values(CASE, Parameter.REQUIREMENT)
    refined = refined_sweep(
        CASE, Levers(), Parameter.REQUIREMENT, values, cost=lambda variant: 0.03 * variant.requirement.amount
    )
    assert len(refined) == len(values)


def test_the_real_sweep_refines_near_a_break_even_price():
    values = default_values(CASE, Parameter.CASH_COST_RATE, points=6)
    refined = refined_sweep(CASE, Levers(), Parameter.CASH_COST_RATE, values, extra=4)
    assert len(refined) > len(values)
    costs = [point.cost for point in refined]
    assert all(cost is not None for cost in costs)
    assert costs == sorted(costs)  # dearer cash never makes the optimum cheaper
