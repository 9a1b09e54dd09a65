"""The cutting-plane loop and its pieces: exact tail measures, merged rows, valid cuts, many rounds.

The tail measures of optimizer/risk/tail.py are checked against a plain sort of every year
(``SortedLosses``, and a sort written here); the loop is forced through many rounds by a
case of 36 instruments whose CVaR tail changes with every mix, and its optimum is checked
against the textbook RU LP (tests/textbook_ru.py).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import costs_agree
from textbook_ru import payouts_per_money, textbook_cost

from optimizer import Status, check_case, optimize
from optimizer.coverage.model import build_model
from optimizer.coverage.risk_answer import risk_setup
from optimizer.coverage.risk_limits import Measure, RiskLP
from optimizer.coverage.solve import solve
from optimizer.risk.measures import SortedLosses
from optimizer.risk.tail import YearTable, cvar_cut, mean_cut, merge_identical_rows, tail_years
from optimizer.rules.requirement import requirement_basis


def _plain_cvar(values: np.ndarray, years: int, k: Fraction) -> float:
    """Mean of the k worst of ``years`` values (zeros for the years not given), by a full sort."""
    ordered = np.sort(np.concatenate([values, np.zeros(years - values.size)]))[::-1]
    whole = int(k)
    tail = ordered[:whole].sum() + float(k - whole) * (ordered[whole] if whole < years else 0.0)
    return float(tail / float(k))


@pytest.mark.parametrize("level", [0.99, 0.995, 0.9, 0.9973, 0.5])
@pytest.mark.parametrize("repeat", [False, True])
def test_cvar_cut_value_is_the_sorted_cvar(level: float, repeat: bool) -> None:
    rng = np.random.default_rng(11)
    years, rows, k_items = 3_000 + int(level * 1000) % 7, 900, 5
    payout = rng.uniform(0, 2, (rows, k_items))
    loss = rng.lognormal(1.0, 1.0, rows)
    if repeat:  # a third of the rows repeat others exactly, and merge
        copy = rng.integers(0, rows // 3, rows // 3)
        payout[-rows // 3 :], loss[-rows // 3 :] = payout[copy], loss[copy]
    merged_loss, merged_payout, count = merge_identical_rows(loss, payout)
    assert count.sum() == rows
    assert (merged_loss.size < rows) is repeat
    table = YearTable(years, merged_loss, merged_payout, count, rows)
    k = tail_years(level, years)
    for _ in range(5):
        x = rng.uniform(0, 1, k_items)
        uncovered = np.maximum(loss - payout @ x, 0.0)
        cut = cvar_cut(table, x, k)
        assert cut.value == pytest.approx(_plain_cvar(uncovered, years, k), rel=1e-12)
        assert cut.value == pytest.approx(SortedLosses(uncovered, years).var_cvar(level)[1], rel=1e-12)
        assert cut.constant - cut.slope @ x == pytest.approx(cut.value, rel=1e-12)  # tight at x
        mean = mean_cut(table, x)
        assert mean.value == pytest.approx(uncovered.sum() / years, rel=1e-12)
        for _ in range(5):  # valid at every other mix
            y = rng.uniform(0, 1.5, k_items)
            truth = _plain_cvar(np.maximum(loss - payout @ y, 0.0), years, k)
            assert cut.constant - cut.slope @ y <= truth + 1e-9 * max(truth, 1.0)


def test_merge_keeps_distinct_rows_apart() -> None:
    payout = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 1e-12], [0.0, 1.0]])
    loss = np.array([5.0, 5.0, 5.0, 5.0])
    merged_loss, merged_payout, count = merge_identical_rows(loss, payout)
    assert sorted(count.tolist()) == [1.0, 1.0, 2.0]
    assert merged_payout.shape == (3, 2) and merged_loss.tolist() == [5.0, 5.0, 5.0]


def _many_layers(tmp_path: Path, years: int = 20_000) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    counts = rng.poisson(0.4, years)
    event_year = np.repeat(np.arange(1, years + 1), counts)
    loss = np.round(2_000_000 * np.exp(rng.standard_normal(event_year.size)))
    (tmp_path / "events.csv").write_text(
        "year,loss\n" + "".join(f"{y},{x:.0f}\n" for y, x in zip(event_year, loss, strict=True))
    )
    instruments: list[dict[str, Any]] = [{"id": "cash", "kind": "cash", "cost_rate": 0.08, "max_amount": 3_000_000}]
    for i in range(30):
        layer = {"id": f"xl-{i}", "kind": "insurance", "counterparty": f"Insurer {i % 7}", "attachment": 500_000 * i}
        layer |= {"limit": 500_000, "premium_rate": round(0.2 / (1 + 0.3 * i), 4)}
        layer["aggregate_limit"] = 1_000_000 if i % 3 else 500_000
        instruments.append(layer)
    for i in range(6):
        cover = {"id": f"cat-{i}", "kind": "parametric", "counterparty": "Dealer", "trigger": 2_000_000 * (i + 1)}
        instruments.append(cover | {"payout": 700_000, "premium": 60_000 - 5_000 * i, "max_payouts_per_year": 2})
    data = {
        "name": "many layers",
        "currency": "USD",
        "requirement": {"amount": 10_000_000},
        "coverage": "face",
        "instruments": instruments,
        "scenarios": {"years": years, "events": "events.csv"},
        "risk": {"level": 0.99, "max_cvar": 5_000_000},
    }
    return data, event_year, loss


def test_many_rounds_reach_the_textbook_optimum(tmp_path: Path) -> None:
    data, event_year, loss = _many_layers(tmp_path)
    case = check_case(data)
    solution = optimize(case, base_dir=tmp_path)
    assert solution.status is Status.OPTIMAL
    assert solution.risk_solve["rounds"] >= 10  # the loop had to work for it
    assert solution.risk_solve["distinct_rows"] < solution.risk_solve["loss_years"]  # rounded losses repeat
    expected = textbook_cost(case, 20_000, event_year, loss, 0.99, 5_000_000, None)
    assert expected is not None
    assert costs_agree(solution.total_cost, expected, 10_000_000), (solution.total_cost, expected)
    paid = payouts_per_money(case, 20_000, event_year, loss, {})
    annual = np.zeros(20_000)
    np.add.at(annual, event_year - 1, loss)
    amounts = np.array([item.amount for item in solution.allocations])
    uncovered = np.maximum(annual - paid @ amounts, 0.0)
    cents = 0.01 * amounts.size  # amounts are reported to the cent
    assert _plain_cvar(uncovered, 20_000, Fraction(200)) <= 5_000_000 * (1 + 1e-9) + cents


def test_every_cut_of_the_loop_is_valid_and_the_bound_rises(tmp_path: Path) -> None:
    data, _, _ = _many_layers(tmp_path, years=5_000)
    case = check_case(data)
    setup = risk_setup(case, base_dir=tmp_path)
    model = build_model(case, requirement_basis(case))
    solve(model)
    lp = RiskLP(model, setup.data)
    bounds = []
    for limit in (9e6, 7e6, 5e6, 4e6, 3e6):  # a frontier: the pool of cuts grows and is reused
        result = lp.minimise_cost({Measure.CVAR: limit})
        assert result.values[Measure.CVAR] <= limit * (1 + 1e-9)
        bounds.append(result.objective)
    assert bounds == sorted(bounds)  # tighter limits never cost less
    least = lp.minimise(Measure.CVAR, {})
    assert least.values[Measure.CVAR] == pytest.approx(least.objective, rel=1e-9, abs=1e-6)
    rng = np.random.default_rng(3)
    table, k = setup.data.table, setup.data.tail
    highs = np.array([1.0 if item.kind != "cash" else 3_000_000.0 for item in case.instruments])
    cuts = lp.cuts_of(Measure.CVAR)
    assert len(cuts) >= 10
    for _ in range(30):
        y = rng.uniform(0, 1, highs.size) * highs
        truth = cvar_cut(table, y, k).value
        for _, cut in cuts:
            assert cut.constant - cut.slope @ y <= truth * (1 + 1e-12) + 1e-6
