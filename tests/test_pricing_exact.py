"""Exact entry prices and demand curves (issue #11, item 1; model.md section 6).

On 240 seeded random LP cases, most made degenerate on purpose (tests/pricing_cases.py: twin
layers, one rate for every layer, cash at a guarantee's fee, layers straddling R), every
reported entry price of every layer and parametric cover is confirmed by fresh, cold re-solves
of the case through the ordinary pipeline at +/-0.1% of it (bought below, not above), and by an
independent LP (scipy, tests/independent_lp.py) comparing the cost with and without the
instrument. Demand curves never rise with price, and at random prices away from breakpoints a
fresh solve buys exactly what the curve says.
"""

from __future__ import annotations

import random

import pytest
from independent_lp import independent_lp_cost
from pricing_cases import degenerate_cases

from optimizer import Case, Status, check_case, optimize
from optimizer.case.schema import Insurance, Parametric
from optimizer.pricing.demand import demand_curve
from optimizer.pricing.live import LiveModel, price_of

CASES = degenerate_cases(seed=11, count=240)
# A quantity counts as bought above 1e-7 of its unit (a share, a unit): far above HiGHS's
# feasibility tolerance on these O(1) decisions, far below anything a user would read.
BOUGHT = 1e-7


def _with_price(case: Case, item_id: str, price: float) -> Case:
    field = {Insurance: "premium_rate", Parametric: "premium"}
    instruments = tuple(
        item.model_copy(update={field[type(item)]: price}) if item.id == item_id else item for item in case.instruments
    )
    return case.model_copy(update={"instruments": instruments})


def _without(case: Case, item_id: str) -> Case:
    return case.model_copy(update={"instruments": tuple(i for i in case.instruments if i.id != item_id)})


def _bought(case: Case, item_id: str) -> float:
    solution = optimize(case)
    assert solution.status is Status.OPTIMAL
    allocation = solution.allocation(item_id)
    return allocation.share if allocation.share is not None else allocation.units or 0.0


def _priced_items(case: Case) -> list[str]:
    return [item.id for item in case.instruments if isinstance(item, Insurance | Parametric)]


@pytest.fixture(scope="module")
def feasible_cases() -> list[Case]:
    cases = [check_case(data) for data in CASES]
    return [case for case in cases if optimize(case).status is Status.OPTIMAL]


@pytest.mark.slow
def test_entry_prices_are_confirmed_by_fresh_re_solves(feasible_cases: list[Case]) -> None:
    assert len(feasible_cases) >= 200
    checked = degenerate_seen = straddling = 0
    for case in feasible_cases:
        live = LiveModel(case)
        solution = optimize(case)
        estimates = {signal.id: signal.break_even for signal in solution.not_bought}
        for item_id in _priced_items(case):
            curve = demand_curve(live, item_id)
            assert all(point.confirmed for point in curve.breakpoints), (case.name, item_id, curve)
            entry = curve.entry_price
            item = case.instrument(item_id)
            if isinstance(item, Insurance) and item.attachment < case.requirement.amount < item.attachment + item.limit:
                straddling += 1
            if item_id in estimates and entry is not None and abs(estimates[item_id] - entry) > 1e-6 * price_of(item):
                degenerate_seen += 1  # the reduced cost said one thing, the value function another
            if entry is None or entry <= 0:
                continue
            below, above = entry * 0.999, entry * 1.001
            assert _bought(_with_price(case, item_id, below), item_id) > BOUGHT, (case.name, item_id, entry)
            assert _bought(_with_price(case, item_id, above), item_id) <= BOUGHT, (case.name, item_id, entry)
            checked += 1
    # The test is only as good as its cases: many prices, some where the duals were wrong.
    assert checked >= 300
    assert degenerate_seen >= 5
    assert straddling >= 50


def test_demand_never_rises_and_matches_fresh_solves(feasible_cases: list[Case]) -> None:
    rng = random.Random(7)
    compared = 0
    for case in feasible_cases[:120]:
        live = LiveModel(case)
        for item_id in _priced_items(case):
            curve = demand_curve(live, item_id)
            quantities = [step.quantity for step in curve.steps()]
            assert quantities == sorted(quantities, reverse=True), (case.name, item_id)
            assert curve.least <= quantities[-1] + BOUGHT
        item_ids = _priced_items(case)
        if not item_ids:
            continue
        item_id = rng.choice(item_ids)
        curve = demand_curve(live, item_id)
        top = 1.5 * max(curve.entry_price or 0.0, price_of(case.instrument(item_id)), 1e-6)
        price = rng.uniform(0.0, top)
        if any(abs(price - point.price) <= 1e-4 * point.price for point in curve.breakpoints):
            continue  # at a breakpoint the quantity is a tie; the curve says so
        expected = curve.quantity_at(price)
        assert _bought(_with_price(case, item_id, price), item_id) == pytest.approx(expected, abs=1e-6, rel=1e-6)
        compared += 1
    assert compared >= 60


def test_entry_prices_agree_with_an_independent_lp(feasible_cases: list[Case]) -> None:
    # Below the entry price the instrument saves money (the optimum is cheaper with it than
    # without); above it, it saves nothing. Costs only, so ties between optima do not matter.
    # The saving just below is at least rate x quantity x 0.1% of the price; it is compared
    # only where that is 100 x above scipy's tolerance (1e-7 of the cost).
    compared = 0
    for case in feasible_cases[:80]:
        live = LiveModel(case)
        for item_id in _priced_items(case):
            curve = demand_curve(live, item_id)
            entry = curve.entry_price
            if entry is None or entry <= 0:
                continue
            without = independent_lp_cost(_without(case, item_id))
            assert without is not None  # feasible without it, or the entry price would be None
            below = independent_lp_cost(_with_price(case, item_id, entry * 0.999))
            above = independent_lp_cost(_with_price(case, item_id, entry * 1.001))
            assert below is not None and above is not None
            saving = 0.001 * entry * curve.breakpoints[-1].below * live.items[item_id].model_dump().get("limit", 1.0)
            tolerance = 1e-7 * without + 1e-9 * case.requirement.amount
            assert above == pytest.approx(without, abs=10 * tolerance)
            if saving > 100 * tolerance:
                assert below < without - saving / 2
                compared += 1
    assert compared >= 40
