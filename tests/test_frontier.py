"""The cost-risk frontier: by hand, its shape, prices between points, recorded failures, the CLI.

The hand case is tests/test_cvar_limits.py's (amounts in $m): without a CVaR limit a quarter of
the layer (CVaR 32.5, cost 0.5); the least reachable CVaR is 7 (all the layer and all the
cash). Between them the cheapest cost is 2 (40 - K) / 30 for K >= 10 (more layer) and
2 + 0.1 (10 - K) below (then cash).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_cvar_limits import M, _case
from test_cvar_loop import _many_layers

from optimizer import check_case
from optimizer.cli import main
from optimizer.coverage.risk_limits import Measure
from optimizer.rules.requirement import requirement_basis
from optimizer.workbench import frontier as frontier_module
from optimizer.workbench.frontier import FrontierError, FrontierSession, trace_frontier


def _hand_cost(limit: float) -> float:
    k = limit / M
    return (2 * (40 - k) / 30 if k >= 10 else 2 + 0.1 * (10 - k)) * M


def test_frontier_by_hand(tmp_path: Path) -> None:
    case = _case(tmp_path, {"level": 0.8})
    frontier = trace_frontier(case, points=6, base_dir=tmp_path)
    assert frontier.regulatory_value == pytest.approx(32.5 * M)
    assert frontier.least_value == pytest.approx(7 * M)
    limits = [point.limit for point in frontier.points]
    assert limits == pytest.approx([(32.5 - 5.1 * i) * M for i in range(6)])
    for point in frontier.points:
        assert point.status == "optimal"
        assert point.total_cost == pytest.approx(_hand_cost(point.limit), rel=1e-9)
        assert point.value <= point.limit * (1 + 1e-9)
        assert sum(point.mix.values()) > 0
    assert frontier.points[0].price == 0.0  # the regulatory optimum: no limit yet
    assert frontier.points[2].price == pytest.approx(1 / 15)  # 22.3: the layer's price
    assert frontier.points[5].price == pytest.approx(0.1)  # 7: cash's price
    assert frontier.current is frontier.points[0]  # the case sets no CVaR limit


def test_current_mix_is_the_case_limit(tmp_path: Path) -> None:
    case = _case(tmp_path, {"level": 0.8, "max_cvar": 20})
    frontier = trace_frontier(case, points=4, base_dir=tmp_path)
    assert frontier.current is not None and frontier.current.limit == 20 * M
    assert frontier.current.total_cost == pytest.approx(4 / 3 * M)


def test_frontier_of_expected_loss_holds_the_cvar_limit(tmp_path: Path) -> None:
    case = _case(tmp_path, {"level": 0.8, "max_cvar": 20})
    frontier = trace_frontier(case, points=4, measure="expected", base_dir=tmp_path)
    assert frontier.measure == "expected"
    assert "must be at most $20.0m (risk.max_cvar)" in frontier.held
    for point in frontier.points:
        assert point.other_value <= 20 * M * (1 + 1e-9)  # the CVaR limit holds at every point
        assert point.value <= point.limit * (1 + 1e-9)


def test_prices_bracket_the_slope_between_points(tmp_path: Path) -> None:
    # The cost is convex and decreasing in the limit: between two points the slope lies
    # between the prices (duals) at its ends, a finite-difference check at every step.
    data, _, _ = _many_layers(tmp_path, years=5_000)
    frontier = trace_frontier(check_case(data), points=15, base_dir=tmp_path)
    points = frontier.points
    assert all(point.status == "optimal" for point in points)
    costs = [point.total_cost for point in points]
    assert costs == sorted(costs)
    for high, low in zip(points, points[1:], strict=False):
        slope = (low.total_cost - high.total_cost) / (high.limit - low.limit)
        assert high.price * (1 - 1e-6) - 1e-9 <= slope <= low.price * (1 + 1e-6) + 1e-9


def test_failed_and_infeasible_points_are_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _case(tmp_path, {"level": 0.8})
    original = frontier_module.verify_risk_limits

    def flaky(setup: Any, limits: Any, values: Any, scale: float) -> list[str]:
        if limits.get(Measure.CVAR) == pytest.approx(17.2 * M):
            return ["made to fail by the test"]
        return original(setup, limits, values, scale)

    monkeypatch.setattr(frontier_module, "verify_risk_limits", flaky)
    frontier = trace_frontier(case, points=6, base_dir=tmp_path)
    statuses = [point.status for point in frontier.points]
    assert statuses == ["optimal", "optimal", "optimal", "failed", "optimal", "optimal"]
    assert frontier.points[3].detail == "made to fail by the test"
    session = FrontierSession(case, requirement_basis(case), frontier_module.risk_setup(case, base_dir=tmp_path),
                              Measure.CVAR, frontier_module.SolverName.HIGHS)  # fmt: skip
    below = session.point(6 * M)  # under the least reachable (7)
    assert below.status == "infeasible" and below.total_cost is None


def test_frontier_refuses_an_infeasible_rule(tmp_path: Path) -> None:
    case = _case(tmp_path, {"level": 0.8}, cash_cap=3)
    tight = case.model_copy(update={"constraints": case.constraints.model_copy(update={"min_cash_fraction": 0.9})})
    with pytest.raises(FrontierError, match="no mix meets the requirement"):
        trace_frontier(tight, points=3, base_dir=tmp_path)


def _write(tmp_path: Path) -> Path:
    _case(tmp_path, {"level": 0.8})  # writes events.csv
    path = tmp_path / "case.yaml"
    path.write_text(
        f"""
name: hand risk
currency: USD
requirement: {{amount: {10 * M}}}
coverage: face
instruments:
  - {{id: cash, kind: cash, cost_rate: 0.1, max_amount: {3 * M}}}
  - {{id: xl, kind: insurance, counterparty: Ins, attachment: {10 * M}, limit: {40 * M}, premium_rate: 0.05}}
scenarios: {{years: 10, events: events.csv}}
risk: {{level: 0.8, max_cvar: {20 * M}}}
"""
    )
    return path


def test_cli_frontier_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path)
    assert main(["frontier", str(path), "--points", "4", "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert len(answer["points"]) == 4 and answer["measure"] == "cvar"
    assert answer["current"]["limit"] == 20 * M
    assert main(["frontier", str(path), "--points", "4", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("status,limit,total_cost,value,other_value,price,current,cash,xl")
    assert len(rows) == 1 + 5  # four points and the case's own limit
    assert sum(row.split(",")[6] == "yes" for row in rows[1:]) == 1
    assert main(["frontier", str(path), "--points", "4"]) == 0
    table = capsys.readouterr().out
    assert "1-in-5-year CVaR (80%)" in table and "> " in table


@pytest.mark.parametrize("points", ["1", "501", "ten"])
def test_cli_frontier_refuses_bad_points(tmp_path: Path, points: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path)
    assert main(["frontier", str(path), "--points", points]) == 2
    assert "whole number from 2 to 500" in capsys.readouterr().err
