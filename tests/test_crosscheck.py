"""The optimizer agrees with an independent LP (scipy's HiGHS on a dense matrix built from
model.md, tests/independent_lp.py) on 240 seeded random cases, and CBC agrees with HiGHS.
"""

from __future__ import annotations

import pytest
from conftest import costs_agree, decisions_of
from independent_lp import independent_lp_cost
from random_cases import random_cases

from optimizer import Status, check_case, optimize, requirement_basis, verify_solution

LP_CASES = random_cases(seed=20240601, count=240)
CBC_CASES = random_cases(seed=20240602, count=30, integer_terms=True)


def _id(data):
    return data["name"]


def test_the_random_cases_cover_what_they_should():
    # The cross-check is only as good as its cases: both verdicts, both tests, every kind,
    # every policy constraint, and R across eight orders of magnitude.
    cases = [check_case(data) for data in LP_CASES]
    verdicts = [independent_lp_cost(case) is None for case in cases]
    assert 0.1 < sum(verdicts) / len(verdicts) < 0.5
    assert {str(case.coverage) for case in cases} == {"ladder", "face"}
    assert {str(item.kind) for case in cases for item in case.instruments} == {
        "cash",
        "guarantee",
        "insurance",
        "parametric",
    }
    names = {name for data in LP_CASES for name in data.get("constraints", {})}
    assert names == {"min_cash_fraction", "max_counterparty_fraction", "max_insurance_fraction", "liquidity"}
    amounts = [data["requirement"]["amount"] for data in LP_CASES]
    assert min(amounts) < 1e6 and max(amounts) > 1e12
    assert {len(data["instruments"]) for data in LP_CASES} >= {1, 12}


@pytest.mark.parametrize("data", LP_CASES, ids=_id)
def test_optimizer_agrees_with_an_independent_lp(data):
    case = check_case(data)
    expected = independent_lp_cost(case)
    solution = optimize(case)
    if expected is None:
        assert solution.status is Status.INFEASIBLE
        assert solution.total_cost is None
        return
    assert solution.status is Status.OPTIMAL
    assert solution.total_cost is not None
    assert costs_agree(solution.total_cost, expected, solution.requirement), (solution.total_cost, expected)
    assert verify_solution(case, requirement_basis(case), decisions_of(solution), solution.total_cost) == []


@pytest.mark.parametrize("data", CBC_CASES, ids=_id)
def test_cbc_agrees_with_highs(data):
    # Integer terms allowed: both solve the same MILP (to a relative gap of 1e-7).
    case = check_case(data)
    highs = optimize(case, solver="highs")
    cbc = optimize(case, solver="cbc")
    assert cbc.status is highs.status
    if highs.status is Status.OPTIMAL:
        assert highs.total_cost is not None and cbc.total_cost is not None
        assert costs_agree(cbc.total_cost, highs.total_cost, highs.requirement), (cbc.total_cost, highs.total_cost)
        assert verify_solution(case, requirement_basis(case), decisions_of(cbc), cbc.total_cost) == []
