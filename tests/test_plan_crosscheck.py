"""The plan LP against an independent formulation, and the invariants a plan must keep.

The independent formulation (tests/independent_plan_lp.py) is scipy's HiGHS on one dense
matrix built from model.md section 7; 150 seeded random plans (tests/random_plans.py), about a
quarter infeasible, must get the same verdict and the same discounted cost.
"""

from __future__ import annotations

import copy
import math

import pytest
from conftest import cost_at_most, costs_agree
from independent_plan_lp import independent_plan_cost
from random_cases import random_cases
from random_plans import random_plans

from optimizer import Status, check_case, optimal_cost, optimize
from optimizer.case.schema import Requirement
from optimizer.plan.pipeline import optimize_plan, plan_cost
from optimizer.plan.years import plan_years

PLANS = random_plans(seed=20260113, count=150)


def _id(data):
    return data["name"]


def test_the_random_plans_cover_what_they_should():
    cases = [check_case(data) for data in PLANS]
    infeasible = sum(independent_plan_cost(case) is None for case in cases)
    assert 0.1 < infeasible / len(cases) < 0.5
    plans = [data["plan"] for data in PLANS]
    assert {plan["years"] for plan in plans} == {1, 2, 3, 4, 5}
    assert any(plan.get("allow_release") for plan in plans) and any(not plan.get("allow_release") for plan in plans)
    assert any(isinstance(plan.get("max_set_aside"), list) for plan in plans)
    assert any(isinstance(plan.get("max_set_aside"), int) for plan in plans)
    assert any("max_set_aside" not in plan for plan in plans)
    terms = [spec for plan in plans for spec in plan.get("instruments", {}).values()]
    assert {key for spec in terms for key in spec} == {"price_trend", "interim", "available_years"}


@pytest.mark.parametrize("data", PLANS, ids=_id)
def test_the_plan_agrees_with_an_independent_lp(data):
    case = check_case(data)
    expected = independent_plan_cost(case)
    solution = optimize_plan(case)
    if expected is None:
        assert solution.status is Status.INFEASIBLE
        assert solution.diagnosis, "an infeasible plan must say why"
        return
    assert solution.status is Status.OPTIMAL and solution.verified
    assert solution.discounted_cost is not None
    scale = max(year.requirement for year in solution.years)
    assert costs_agree(solution.discounted_cost, expected, scale), (solution.discounted_cost, expected)


ONE_YEAR = [d for d in random_cases(seed=20260114, count=50) if any(i["kind"] == "cash" for i in d["instruments"])]


@pytest.mark.parametrize("data", ONE_YEAR[:40], ids=_id)
def test_a_one_year_plan_is_the_one_year_optimum(data):
    # A plan builds a cash stock, so only cases with cash (random_cases draws some without).
    plain = optimize(check_case(data))
    planned = optimize_plan(check_case({**data, "plan": {"years": 1}}))
    assert planned.status is plain.status
    if plain.status is Status.OPTIMAL:
        assert planned.discounted_cost is not None and plain.total_cost is not None
        assert costs_agree(planned.discounted_cost, plain.total_cost, plain.requirement)
        assert planned.years[0].requirement == plain.requirement


CAPPED = [data for data in PLANS if "max_set_aside" in data["plan"]][:40]


@pytest.mark.parametrize("data", CAPPED, ids=_id)
def test_more_set_aside_capacity_never_raises_the_cost(data):
    before = plan_cost(check_case(data))
    looser = copy.deepcopy(data)
    capacity = looser["plan"]["max_set_aside"]
    doubled = [2 * value + 1 for value in capacity] if isinstance(capacity, list) else 2 * capacity + 1
    looser["plan"]["max_set_aside"] = doubled
    after = plan_cost(check_case(looser))
    if before is None:
        return  # infeasible before: anything after is no rise
    assert after is not None, "a feasible plan became infeasible with more capacity"
    assert cost_at_most(after, before, looser["requirement"]["amount"])


@pytest.mark.parametrize("data", [d for d in PLANS if not d["plan"].get("allow_release")][:40], ids=_id)
def test_without_release_cash_never_falls(data):
    solution = optimize_plan(check_case(data))
    if solution.status is not Status.OPTIMAL:
        return
    tolerance = 1e-6 * max(year.requirement for year in solution.years)
    balances = [solution.starting_cash, *(year.cash for year in solution.years)]
    assert all(later >= earlier - tolerance for earlier, later in zip(balances, balances[1:], strict=False))
    assert all(year.release == 0 for year in solution.years)


@pytest.mark.parametrize("data", PLANS[:40], ids=_id)
def test_unlimited_capacity_costs_the_years_solved_alone(data):
    # With no capacity limit, nothing at the start and release allowed, the years decouple:
    # the plan costs exactly the discounted sum of each year's own optimum. Without release
    # it can only cost more (cash once set aside must stay).
    free = copy.deepcopy(data)
    free["plan"].pop("max_set_aside", None)
    free["plan"]["starting_cash"] = 0
    free["plan"]["allow_release"] = True
    case = check_case(free)
    alone = []
    for year in plan_years(case):
        one_year = year.case.model_copy(update={"requirement": Requirement(amount=year.basis.amount)})
        alone.append(optimal_cost(one_year))
    together = plan_cost(case)
    scale = free["requirement"]["amount"]
    if any(cost is None for cost in alone):
        assert together is None
        return
    total = sum(year.discount * cost for year, cost in zip(plan_years(case), alone, strict=True) if cost is not None)
    assert together is not None and costs_agree(together, total, scale)
    free["plan"]["allow_release"] = False
    kept = plan_cost(check_case(free))
    assert kept is not None and (kept >= total or math.isclose(kept, total, rel_tol=1e-6, abs_tol=1e-9 * scale))


def test_a_milp_plan_is_verified_and_cbc_agrees():
    # The example with whole units of the interim cover and a minimum line on xl-2: a MILP.
    from pathlib import Path

    import yaml

    path = Path(__file__).resolve().parent.parent / "data" / "examples" / "jp-midsize-plan.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in data["instruments"]:
        if item["id"] == "interim-cat":
            item["integer_units"] = True
        if item["id"] == "xl-2":
            item["min_share"] = 0.5
    case = check_case(data)
    highs = optimize_plan(case)
    assert highs.status is Status.OPTIMAL and highs.is_mip and highs.verified
    assert highs.duals_note.startswith("MILP")
    units = [year.allocations[-1].units for year in highs.years]
    assert all(value is None or float(value).is_integer() for value in units)
    lp = optimize_plan(check_case(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert lp.discounted_cost is not None and highs.discounted_cost is not None
    assert highs.discounted_cost >= lp.discounted_cost  # integer terms can only cost more
    cbc = optimize_plan(case, "cbc")
    assert cbc.discounted_cost is not None
    assert math.isclose(cbc.discounted_cost, highs.discounted_cost, rel_tol=1e-6)
