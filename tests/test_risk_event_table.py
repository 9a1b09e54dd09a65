"""Risk figures on a small year-event table, recomputed by hand (issue #9: "every figure is exact").

The table covers S = 10 years; years 3, 5, 6, 8, 9, 10 lost nothing:

    year 1: 5          year 2: 30 and 20          year 4: 100          year 7: 8

The mix: cash 10; layer 20 xs 10 at share 0.5 with an aggregate limit of 25 (at full share);
parametric cover paying 10 per unit once a year when one incident reaches 25, 1 unit.

    year  L    layer per unit                 layer paid  parametric  cash  U
    1     5    0                              0           0           5     0
    2     50   min(20 + 10, 25) = 25          12.5        10          10    50 - 32.5 = 17.5
    4     100  min(20, 25) = 20               10          10          10    100 - 30 = 70
    7     8    0                              0           0           8     0
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimizer.cli import main

CASE = """
name: hand table
currency: JPY
requirement: {amount: 1000}  # R plays no part in the risk of a given mix; 1,000 is the least R accepted
instruments:
  - {id: cash, kind: cash, cost_rate: 0.05}
  - {id: xl, kind: insurance, counterparty: Ins A, attachment: 10, limit: 20, premium_rate: 0.1,
     aggregate_limit: 25}
  - {id: cat, kind: parametric, counterparty: Dealer B, trigger: 25, payout: 10, premium: 1,
     max_units: 1}
scenarios:
  years: 10
  events: events.csv
risk: {level: 0.85, max_cvar: 50, max_expected_uncovered: 10}
"""
EVENTS = "year,loss\n2,30\n1,5\n4,100\n2,20\n7,8\n"
MIX = "{cash: 10, xl: 10, cat: 10}\n"


@pytest.fixture
def answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    (tmp_path / "case.yaml").write_text(CASE)
    (tmp_path / "events.csv").write_text(EVENTS)
    (tmp_path / "mix.yaml").write_text(MIX)
    code = main(["risk", str(tmp_path / "case.yaml"), "--mix", str(tmp_path / "mix.yaml"), "--format", "json"])
    assert code == 0
    return json.loads(capsys.readouterr().out)


def test_summary_figures_by_hand(answer: dict) -> None:
    assert answer["years"] == 10
    assert answer["expected_loss"] == pytest.approx((5 + 50 + 100 + 8) / 10, abs=1e-12)
    assert answer["expected_uncovered"] == pytest.approx((17.5 + 70) / 10, abs=1e-12)
    assert answer["probability_uncovered"] == pytest.approx(0.2)
    assert answer["probability_loss"] == pytest.approx(0.4)


def test_var_cvar_with_a_fractional_tail(answer: dict) -> None:
    # (1 - 0.85) x 10 = 1.5 years: the worst year in full and half of the second worst.
    assert answer["level"] == 0.85
    assert answer["var"] == pytest.approx(17.5)
    assert answer["cvar"] == pytest.approx((70 + 0.5 * 17.5) / 1.5)


def test_recoveries_and_loss_ratios(answer: dict) -> None:
    recovery = answer["expected_recovery"]
    assert recovery["xl"] == pytest.approx((12.5 + 10) / 10)
    assert recovery["cat"] == pytest.approx((10 + 10) / 10)
    assert recovery["cash"] == pytest.approx((5 + 10 + 10 + 8) / 10)
    # Per unit: layer pays 25 + 20 over 10 years against a premium of 0.1 x 20 a year.
    assert answer["loss_ratio"]["xl"] == pytest.approx(4.5 / 2.0)
    assert answer["loss_ratio"]["cat"] == pytest.approx(2.0 / 1.0)


def test_return_periods_aggregate_and_occurrence(answer: dict) -> None:
    rows = {row["years"]: row for row in answer["return_periods"]}
    # Annual losses, largest first: 100, 50, 8, 5, then six zeros. T = 5 -> k = 2 -> the 3rd largest.
    assert rows[5] == {"years": 5, "annual_loss": 8.0, "uncovered": 0.0, "largest_incident": 8.0}
    # T = 10 -> k = 1 -> the 2nd largest; largest incidents: 100, 30, 8, 5.
    assert rows[10]["annual_loss"] == 50.0
    assert rows[10]["uncovered"] == 17.5
    assert rows[10]["largest_incident"] == 30.0
    # T >= 20 -> k < 1 -> the largest.
    assert rows[1000] == {"years": 1000, "annual_loss": 100.0, "uncovered": 70.0, "largest_incident": 100.0}
    assert rows[2]["annual_loss"] == 0.0


def test_default_impact_and_limits(answer: dict) -> None:
    # Without the layer: years 2 and 4 lose 12.5 and 10 more; without the dealer 10 and 10 more.
    assert answer["default_added"] == {"Dealer B": pytest.approx(2.0), "Ins A": pytest.approx(2.25)}
    limits = {check["name"]: check for check in answer["limits"]}
    assert limits["max_cvar"]["met"] is False  # CVaR 52.5 > 50
    assert limits["max_expected_uncovered"]["met"] is True  # 8.75 <= 10


def test_stress_rows_name_the_japanese_incidents(answer: dict) -> None:
    stress = {row["exchange"]: row for row in answer["stress"]}
    assert stress["Coincheck"]["loss"] == 58_000_000_000
    assert stress["DMM Bitcoin"]["loss"] == 48_200_000_000
    # Everything available pays; the rest is uncovered.
    assert stress["Coincheck"]["uncovered"] == pytest.approx(58_000_000_000 - 10 - 10 - 10)
