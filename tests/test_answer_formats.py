"""The command's outputs: JSON answer, CSV, table, audit record, exit codes, solver guards."""

import csv
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer import SolverError, load_case, optimize
from optimizer.cli import main
from optimizer.coverage import pipeline
from optimizer.coverage.solve import Outcome, SolverName, SolveRun

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
JP = EXAMPLES / "jp-midsize.yaml"


def test_json_answer_has_the_core_fields_of_case_format(capsys):
    assert main(["solve", str(JP), "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert {"status", "currency", "requirement", "total_cost", "allocations"} <= set(answer)
    case = load_case(JP)
    # Every instrument appears, zeros included, with share for insurance and units for parametric.
    assert [a["id"] for a in answer["allocations"]] == [i.id for i in case.instruments]
    for row in answer["allocations"]:
        assert {"id", "kind", "amount", "annual_cost", "credited"} <= set(row)
        assert ("share" in row) == (row["kind"] == "insurance")
        assert ("units" in row) == (row["kind"] == "parametric")
    assert sum(a["annual_cost"] for a in answer["allocations"]) == pytest.approx(answer["total_cost"])


def test_json_on_stdout_is_clean_in_a_fresh_process():
    # HiGHS prints a banner from C++ on first use; a fresh process must still emit pure JSON.
    result = subprocess.run(
        [sys.executable, "-m", "optimizer.cli", "solve", str(JP), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "optimal"
    assert "HiGHS" not in result.stdout


def test_csv_has_one_row_per_instrument(capsys):
    assert main(["solve", str(JP), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(load_case(JP).instruments)
    assert rows[0].keys() >= {"id", "kind", "amount", "annual_cost", "credited"}


def test_table_uses_the_case_currency_with_thousands_separators(capsys):
    assert main(["solve", str(JP)]) == 0
    text = capsys.readouterr().out
    assert "Optimal annual cost: ¥274,000,000" in text
    assert "What binds:" in text
    assert "Verified against every rule without the LP: yes" in text


def test_audit_record_holds_case_hash_answer_duals_versions_and_times(tmp_path, capsys):
    audit = tmp_path / "audit.json"
    assert main(["solve", str(JP), "--format", "json", "--audit", str(audit)]) == 0
    record = json.loads(audit.read_text(encoding="utf-8"))
    assert record["case_sha256"] == hashlib.sha256(JP.read_bytes()).hexdigest()
    assert record["case"]["name"] == load_case(JP).name
    assert record["answer"]["total_cost"] == json.loads(capsys.readouterr().out)["total_cost"]
    assert record["duals"] and all(isinstance(v, float) for v in record["duals"].values())
    assert {"python", "pulp", "highspy", "pydantic"} <= set(record["versions"])
    assert record["started_utc"] <= record["finished_utc"]


def test_unwritable_audit_path_is_a_clear_error(capsys, tmp_path):
    target = tmp_path / "missing-dir" / "audit.json"
    assert main(["solve", str(JP), "--audit", str(target)]) == 2
    assert "cannot write the audit record" in capsys.readouterr().err


def test_cbc_and_highs_agree_on_the_examples():
    for name in ("jp-midsize", "eu-casp-small", "hk-platform"):
        case = load_case(EXAMPLES / f"{name}.yaml")
        highs, cbc = optimize(case, "highs"), optimize(case, "cbc")
        assert cbc.total_cost == pytest.approx(highs.total_cost, rel=1e-7)


def test_a_solver_that_stops_early_is_never_reported(monkeypatch):
    def stopped(model, solver=SolverName.HIGHS, time_limit=None):
        return SolveRun(Outcome.NOT_SOLVED, SolverName.HIGHS, "Time limit reached", 0.0)

    monkeypatch.setattr(pipeline, "solve", stopped)
    with pytest.raises(SolverError, match="without proving an optimal mix"):
        optimize(load_case(JP))


def test_a_mix_that_fails_verification_is_refused(monkeypatch):
    real = pipeline.collect_decisions

    def halved(model):
        return {key: value / 2 for key, value in real(model).items()}

    monkeypatch.setattr(pipeline, "collect_decisions", halved)
    with pytest.raises(SolverError, match="fails verification: .*ladder test fails"):
        optimize(load_case(JP))


def test_solver_error_exits_4_without_traceback(monkeypatch, capsys):
    monkeypatch.setattr(
        pipeline, "solve", lambda *a, **k: SolveRun(Outcome.NOT_SOLVED, SolverName.HIGHS, "Interrupted", 0.0)
    )
    assert main(["solve", str(JP)]) == 4
    err = capsys.readouterr().err
    assert "nothing is reported" in err and "Traceback" not in err
