"""Exact price signals in the answer: not_bought[].break_even and bought[] (issue #11, item 1)."""

from __future__ import annotations

import json

from optimizer import check_case, load_case
from optimizer.cli import main
from optimizer.pricing.live import LiveModel
from optimizer.pricing.signals import exact_signals, optimize_priced

# Face mode, R = 100,000. Cash at 5% is unbounded; insurance may cover at most half of R.
# Layer A (50,000 at 2%) fills the cap exactly, so the cap row and A's own bound both bind: the
# LP is degenerate and the cap's dual can be anything in [-3%, -1%] per unit. Layer B (50,000 at
# 4%) can only enter by displacing A, i.e. below A's 2%; a dual of -1% would say "4%, today's
# price". By hand: B enters at 2%; A is bought in full up to 4% (B's price), then not at all.
DEGENERATE = {
    "name": "degenerate cap",
    "currency": "EUR",
    "requirement": {"amount": 100_000},
    "coverage": "face",
    "instruments": [
        {"id": "cash", "kind": "cash", "cost_rate": 0.05},
        {"id": "a", "kind": "insurance", "counterparty": "A", "attachment": 0, "limit": 50_000, "premium_rate": 0.02},
        {"id": "b", "kind": "insurance", "counterparty": "B", "attachment": 0, "limit": 50_000, "premium_rate": 0.04},
    ],
    "constraints": {"max_insurance_fraction": 0.5},
}


def test_the_degenerate_cap_case_by_hand():
    solution = optimize_priced(check_case(DEGENERATE))
    (b,) = solution.not_bought
    assert b.id == "b" and b.exact
    assert abs(b.break_even - 0.02) < 1e-9
    assert abs(b.reduced_cost - (0.04 - 0.02) * 50_000) < 1e-3
    bought = {signal.id: signal for signal in solution.bought}
    assert set(bought) == {"cash", "a"}
    assert abs(bought["a"].cut_price - 0.04) < 1e-9 and abs(bought["a"].break_even - 0.04) < 1e-9
    assert bought["cash"].break_even is None  # face mode cannot be met without cash here
    steps = [(round(s.low, 9), s.quantity) for s in bought["a"].demand]
    assert steps == [(0.0, 1.0), (0.04, 0.0)]


def test_every_instrument_gets_a_signal_and_json_carries_them():
    case = load_case("data/examples/jp-midsize.yaml")
    solution = optimize_priced(case)
    ids = {s.id for s in solution.not_bought} | {s.id for s in solution.bought}
    assert ids == {item.id for item in case.instruments}
    assert all(signal.exact for signal in solution.not_bought + solution.bought)
    answer = solution.to_dict()
    assert {row["id"] for row in answer["bought"]} == {s.id for s in solution.bought}
    assert all("cut_price" in row and "demand" in row for row in answer["bought"])
    # A not-bought layer is bought below its break-even and not at it (fresh, cold re-solves).
    live = LiveModel(case)
    for signal in solution.not_bought:
        assert signal.break_even is not None and signal.break_even > 0
        assert live.probe(signal.id, signal.break_even * 0.999).quantity > 1e-7
        assert live.probe(signal.id, signal.break_even * 1.001).quantity <= 1e-7


def test_the_number_of_curves_is_bounded_and_the_answer_says_so():
    case = load_case("data/examples/jp-midsize.yaml")
    solution = exact_signals(case, optimize_priced(case, max_exact=0), max_exact=2)
    exact = [s for s in solution.not_bought + solution.bought if s.exact]
    assert len(exact) == 2
    assert "at most 2 demand curves" in solution.duals_note


def test_cli_json_answer_has_exact_prices(capsys):
    assert main(["solve", "data/examples/jp-midsize.yaml", "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["bought"] and all(row["exact"] for row in answer["not_bought"])
