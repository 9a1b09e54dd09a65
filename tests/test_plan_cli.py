"""``reserve-opt plan``: the JSON core of case-format.md, CSV and table, exit codes, bad inputs."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from optimizer.cli import main
from optimizer.coverage.pipeline import SolverError
from optimizer.coverage.solve import Outcome, SolverName, SolveRun

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
EXAMPLE = EXAMPLES / "jp-midsize-plan.yaml"


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return data


def test_the_example_plan_answers_the_json_core(capsys):
    assert main(["plan", str(EXAMPLE), "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["status"] == "optimal" and answer["verified"] is True
    assert len(answer["years"]) == 4
    for entry in answer["years"]:
        assert {"year", "requirement", "cash", "set_aside", "annual_cost", "allocations"} <= set(entry)
        assert {item["id"] for item in entry["allocations"]} == {item["id"] for item in _example()["instruments"]}
    # The discounted cost is the objective: sum_t 1.03^-(t-1) x annual cost of year t.
    expected = sum(entry["annual_cost"] / 1.03 ** (entry["year"] - 1) for entry in answer["years"])
    assert answer["discounted_cost"] == pytest.approx(expected)
    # The interim cover bridges the first two years only; cash builds within ¥2bn a year.
    interim = [next(a for a in e["allocations"] if a["id"] == "interim-cat")["amount"] for e in answer["years"]]
    assert interim[0] > 0 and interim[1] > 0 and interim[2:] == [0, 0]
    assert all(0 <= entry["set_aside"] <= 2e9 + 1 for entry in answer["years"])
    assert [entry["requirement"] for entry in answer["years"]] == sorted(
        entry["requirement"] for entry in answer["years"]
    )


def test_csv_has_a_row_per_year_and_instrument_and_the_table_names_the_path(capsys):
    assert main(["plan", str(EXAMPLE), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 4 * len(_example()["instruments"])
    assert {row["year"] for row in rows} == {"1", "2", "3", "4"}
    assert main(["plan", str(EXAMPLE)]) == 0
    table = capsys.readouterr().out
    assert "Optimal discounted cost: ¥" in table
    assert "not offered" in table  # interim-cat in years 3-4
    assert "verified without the LP: yes" in table


def test_an_infeasible_plan_exits_3_and_says_how_much_capacity_is_missing(tmp_path, capsys):
    data = _example()
    data["plan"]["max_set_aside"] = 1_000_000_000
    assert main(["plan", str(_write(tmp_path, data)), "--format", "json"]) == 3
    answer = json.loads(capsys.readouterr().out)
    assert answer["status"] == "infeasible" and answer["discounted_cost"] is None
    year4 = [item for item in answer["diagnosis"] if item["constraint"].startswith("year 4")]
    assert year4 and "the most cash you can have is ¥4.0bn" in year4[0]["text"]
    assert answer["fixes"][0]["field"] == "plan.max_set_aside"
    assert answer["fixes"][0]["proposed"] > 1_000_000_000


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"years": 12}, r"plan\.years must be a whole number of years from 1 to 10 \(got 12\); plans are bounded"),
        ({"years": 0}, r"plan\.years must be a whole number of years from 1 to 10 \(got 0\)"),
        (
            {"requirement_fractions": [0.5, 1.0]},
            r"plan\.requirement_fractions must have one entry per plan year, 4 \(got 2: \[0\.5, 1\.0\]\); give 4",
        ),
        (
            {"requirement_fractions": [25, 50, 75, 100]},
            r"plan\.requirement_fractions\[0\] must be between 0 and 1 \(got 25\)",
        ),
        ({"max_set_aside": -5}, r"plan\.max_set_aside must be an amount of money of zero or more .*\(got -5\)"),
        ({"max_set_aside": "2bn"}, r"plan\.max_set_aside must be an amount .*\(got '2bn'\); write plain digits"),
        (
            {"discount_rate": 3},
            r"plan\.discount_rate must be between 0 and 1 \(got 3\); rates are fractions, so 3% is 0\.03",
        ),
        ({"allow_release": "yes"}, r"plan\.allow_release must be true or false \(got 'yes'\)"),
        (
            {"instruments": {"interim-cat": {"interim": 5}}},
            r"plan\.instruments\.interim-cat\.interim must be at most plan\.years, 4 \(got 5\)",
        ),
        (
            {"instruments": {"interim-kat": {"interim": 2}}},
            r"plan\.instruments\.interim-kat names no instrument .*did you mean 'interim-cat'\?",
        ),
        (
            {"instruments": {"xl-2": {"interim": 2}}},
            r"plan\.instruments\.xl-2\.interim applies to parametric cover only",
        ),
        (
            {"instruments": {"cash": {"available_years": [1, 2]}}},
            r"plan\.instruments\.cash\.available_years cannot limit the years of a cash",
        ),
        ({"growth": {"profit": 0.1}}, r"plan\.growth\.profit changes nothing in this plan \(got 0\.1\)"),
        (
            {"max_set_aside_share": {"fraction": 0.5, "of": "profit"}},
            r"plan\.profit is required when max_set_aside_share",
        ),
        ({"horizon": 4}, r"plan\.horizon is not a field of plan \(got 4\); remove it or fix the spelling"),
    ],
)
def test_bad_plan_inputs_exit_2_naming_field_value_and_fix(tmp_path, capsys, change, expected):
    data = _example()
    data["plan"].update(change)
    assert main(["plan", str(_write(tmp_path, data))]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err

    assert re.search(expected, captured.err), captured.err


def test_a_case_without_a_plan_is_refused_with_the_fix(capsys):
    assert main(["plan", str(EXAMPLES / "jp-midsize.yaml")]) == 2
    error = capsys.readouterr().err
    assert "plan is required by `reserve-opt plan` (got nothing); add e.g. plan: {years: 4" in error


def test_a_solver_that_stops_early_is_never_reported(monkeypatch, capsys):
    def stopped(model, solver=SolverName.HIGHS, time_limit=None):
        return SolveRun(Outcome.NOT_SOLVED, solver, "Time limit reached", 1.0)

    monkeypatch.setattr("optimizer.plan.pipeline.solve", stopped)
    assert main(["plan", str(EXAMPLE)]) == 4
    assert "stopped without proving an optimal plan" in capsys.readouterr().err
    from optimizer import load_case
    from optimizer.plan.pipeline import optimize_plan

    with pytest.raises(SolverError, match="Time limit reached"):
        optimize_plan(load_case(EXAMPLE))


def test_a_path_that_fails_verification_is_refused(monkeypatch):
    # Halve every decision after the solve: year 1 no longer meets its R_t.
    from optimizer import load_case
    from optimizer.plan import pipeline

    real = pipeline.collect_decisions

    def halved(model):
        return {key: value / 2 for key, value in real(model).items()}

    monkeypatch.setattr(pipeline, "collect_decisions", halved)
    with pytest.raises(SolverError, match="returned a plan that fails its rules: year 1"):
        pipeline.optimize_plan(load_case(EXAMPLE))
