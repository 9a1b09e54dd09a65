"""`reserve-opt risk` and `solve`'s risk object on the example case with scenarios (issue #9)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from optimizer.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "examples" / "jp-midsize-risk.yaml"
FIXED_KEYS = {
    "years", "level", "expected_loss", "expected_uncovered", "probability_uncovered", "var", "cvar",
    "expected_recovery", "loss_ratio", "return_periods", "stress",
}  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_solve_carries_the_risk_of_its_mix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out = run(capsys, "solve", str(EXAMPLE), "--format", "json")
    assert code == 0
    answer = json.loads(out)
    risk = answer["risk"]
    assert FIXED_KEYS <= set(risk)
    assert risk["years"] == 200_000 and risk["level"] == 0.99
    assert [row["years"] for row in risk["return_periods"]] == [2, 5, 10, 25, 50, 100, 200, 250, 500, 1000]
    assert set(risk["return_periods"][0]) >= {"years", "annual_loss", "uncovered"}
    assert {row["exchange"] for row in risk["stress"]} >= {"Coincheck", "DMM Bitcoin"}
    bought = {row["id"]: row["amount"] for row in answer["allocations"]}
    assert risk["mix"] == bought
    # The same mix passed back as a saved answer gives the same figures (same seed).
    saved = tmp_path / "answer.json"
    saved.write_text(out)
    code, again = run(capsys, "risk", str(EXAMPLE), "--mix", str(saved), "--format", "json")
    assert code == 0
    assert json.loads(again) == risk


def test_risk_without_mix_measures_the_optimal_mix(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "risk", str(EXAMPLE), "--years", "20000", "--seed", "5", "--format", "json")
    assert code == 0
    risk = json.loads(out)
    assert risk["years"] == 20_000 and risk["seed"] == 5
    assert risk["expected_uncovered"] <= risk["expected_loss"]
    assert 0 <= risk["var"] <= risk["cvar"]
    limits = {check["name"] for check in risk["limits"]}
    assert limits == {"max_cvar", "max_expected_uncovered"}


def test_table_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, table = run(capsys, "risk", str(EXAMPLE), "--years", "20000")
    assert code == 0
    assert "CVaR" in table and "1 in 200" in table and "Coincheck" in table and "¥58.0bn" in table
    code, text = run(capsys, "risk", str(EXAMPLE), "--years", "20000", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["name"] for r in rows if r["section"] == "return_period"][:2] == ["2", "5"]
    assert any(r["section"] == "stress" and "DMM Bitcoin" in r["name"] for r in rows)


def test_risk_on_an_infeasible_case_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    infeasible = EXAMPLE.parent / "jp-midsize-infeasible.yaml"
    code = main(["risk", str(infeasible), "--years", "1000"])
    assert code == 3
    assert "infeasible" in capsys.readouterr().err
