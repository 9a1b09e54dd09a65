"""Every outcome readable by a script, and an audit record that is true to what was solved (issue #8).

Items 12 (the audit hashes the bytes solved, never overwrites the case, is written atomically),
13 (exits 2 and 4 print a JSON error object with ``--format json``) and 14 (an infeasible CSV
says so).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from optimizer.cli import main
from optimizer.coverage import pipeline
from optimizer.coverage.solve import Outcome, SolverName, SolveRun
from optimizer.workbench import files
from optimizer.workbench.outcomes import strict_json, wants_json

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
JP = EXAMPLES / "jp-midsize.yaml"
INFEASIBLE = EXAMPLES / "jp-midsize-infeasible.yaml"


def strict_loads(text: str):
    """Parse JSON refusing NaN and Infinity, which are not JSON."""

    def refuse(name):
        msg = f"not JSON: {name}"
        raise ValueError(msg)

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def case(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_bytes(JP.read_bytes())
    return path


# --- item 12: the audit record ---------------------------------------------------------------


def test_the_audit_of_stdin_hashes_the_bytes_that_were_solved(tmp_path):
    raw = JP.read_bytes() + b"\n# piped in: the file cannot be read a second time\n"
    audit = tmp_path / "audit.json"
    result = subprocess.run(
        [sys.executable, "-m", "optimizer.cli", "solve", "/dev/stdin", "--format", "json", "--audit", str(audit)],
        input=raw,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    record = strict_loads(audit.read_text(encoding="utf-8"))
    assert record["case_sha256"] == hashlib.sha256(raw).hexdigest()
    assert record["case_sha256"] != hashlib.sha256(b"").hexdigest()
    assert record["source"] == "/dev/stdin"
    assert record["answer"]["total_cost"] == strict_loads(result.stdout)["total_cost"]


@pytest.mark.parametrize("spelling", ["same", "relative", "dotted", "symlink", "hardlink"])
def test_an_audit_over_the_case_is_refused_before_solving(spelling, case, capsys, monkeypatch):
    original = case.read_bytes()
    target = {
        "same": lambda: case,
        "relative": lambda: Path(os.path.relpath(case)),
        "dotted": lambda: case.parent / "." / ".." / case.parent.name / case.name,
        "symlink": lambda: _link(case, "link.yaml", os.symlink),
        "hardlink": lambda: _link(case, "hard.yaml", os.link),
    }[spelling]()

    def no_solve(*args, **kwargs):
        msg = "solved although the audit was refused"
        raise AssertionError(msg)

    monkeypatch.setattr(pipeline, "solve", no_solve)
    assert main(["solve", str(case), "--format", "json", "--audit", str(target)]) == 2
    captured = capsys.readouterr()
    assert "refusing to write the audit record" in captured.err and "name another file" in captured.err
    assert strict_loads(captured.out)["status"] == "invalid"
    assert case.read_bytes() == original


def test_the_case_read_through_a_link_is_protected_too(case, capsys):
    link = _link(case, "link.yaml", os.symlink)
    assert main(["solve", str(link), "--audit", str(case)]) == 2
    assert "refusing to write the audit record" in capsys.readouterr().err
    assert case.read_bytes() == JP.read_bytes()


def _link(case: Path, name: str, make) -> Path:
    path = case.parent / name
    make(case, path)
    return path


def test_rules_csv_over_the_case_is_refused(case, capsys):
    assert main(["rules", str(case), "--vary", "constraints.min_cash_fraction=0.2", "--csv", str(case)]) == 2
    assert "refusing to write the grid" in capsys.readouterr().err
    assert case.read_bytes() == JP.read_bytes()


def test_the_audit_is_written_whole_or_not_at_all(case, tmp_path, capsys, monkeypatch):
    audit = tmp_path / "audit.json"
    audit.write_text("the previous record\n", encoding="utf-8")
    audit.chmod(0o640)

    def failing_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", failing_replace)
    assert main(["solve", str(case), "--audit", str(audit)]) == 2
    captured = capsys.readouterr()
    assert f"cannot write the audit record to {audit}: No space left on device" in captured.err
    assert captured.out == ""  # no answer without the audit that was asked for
    assert audit.read_text(encoding="utf-8") == "the previous record\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["audit.json", "case.yaml"]  # no temporary left

    monkeypatch.undo()
    assert main(["solve", str(case), "--audit", str(audit)]) == 0
    assert strict_loads(audit.read_text(encoding="utf-8"))["record"] == "reserve-opt audit"
    assert audit.stat().st_mode & 0o777 == 0o640  # the file keeps its permissions


def test_an_audit_goes_through_a_temporary_file_in_the_same_folder(case, tmp_path, monkeypatch):
    audit = tmp_path / "out" / "audit.json"
    audit.parent.mkdir()
    link = tmp_path / "audit-link.json"
    link.symlink_to(audit)
    renames = []
    real_replace = os.replace

    def spy(source, target):
        renames.append((Path(source), Path(target)))
        assert Path(source).parent == Path(target).parent  # a rename, not a copy across file systems
        assert strict_loads(Path(source).read_text(encoding="utf-8"))["record"] == "reserve-opt audit"
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", spy)
    assert main(["solve", str(case), "--audit", str(link)]) == 0
    assert [target for _, target in renames] == [audit]
    assert link.is_symlink() and strict_loads(audit.read_text(encoding="utf-8"))["case_sha256"]


def test_an_audit_to_a_device_is_written_in_place_and_a_folder_is_refused(case, tmp_path, capsys):
    assert main(["solve", str(case), "--audit", os.devnull]) == 0
    assert not Path(os.devnull).is_file()  # still the device: it was written to, not replaced
    assert main(["solve", str(case), "--audit", str(tmp_path)]) == 2
    assert f"cannot write the audit record to {tmp_path}: Is a directory" in capsys.readouterr().err


# --- item 13: JSON error objects ---------------------------------------------------------------


def test_an_invalid_case_prints_a_json_error_object(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(JP.read_text(encoding="utf-8").replace("cost_rate: 0.05", "cost_rate: 5"), encoding="utf-8")
    assert main(["solve", str(bad), "--format", "json"]) == 2
    captured = capsys.readouterr()
    document = strict_loads(captured.out)
    assert document["status"] == "invalid" and document["source"] == str(bad)
    assert any(error.startswith("instruments[0].cost_rate") for error in document["errors"])
    assert f"{bad} has 1 problem" in captured.err  # stderr is as it was


@pytest.mark.parametrize(
    "argv",
    [
        ["solve", str(JP), "--format", "json", "--solver", "nope"],
        ["solve", str(JP), "--format=json", "--no-such-option"],
        ["solve", "--form", "json"],
        ["requirement", str(JP), "--format", "json", "extra"],
    ],
)
def test_a_bad_command_line_prints_a_json_error_object(argv, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    document = strict_loads(captured.out)
    assert document["status"] == "invalid" and len(document["errors"]) == 1
    assert "error: " + document["errors"][0] in captured.err and "usage:" in captured.err


def test_a_bad_command_line_without_json_prints_nothing_on_stdout(capsys):
    assert main(["solve", str(JP), "--solver", "nope"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "invalid choice: 'nope'" in captured.err


def test_a_solver_failure_prints_a_json_error_object(capsys, monkeypatch):
    monkeypatch.setattr(
        pipeline, "solve", lambda *a, **k: SolveRun(Outcome.NOT_SOLVED, SolverName.HIGHS, "Interrupted", 0.0)
    )
    assert main(["solve", str(JP), "--format", "json"]) == 4
    captured = capsys.readouterr()
    document = strict_loads(captured.out)
    assert document == {"status": "error", "message": document["message"]}
    assert "nothing is reported" in document["message"]
    assert f"reserve-opt: {document['message']}" in captured.err


def test_a_solver_failure_in_table_form_prints_nothing_on_stdout(capsys, monkeypatch):
    monkeypatch.setattr(
        pipeline, "solve", lambda *a, **k: SolveRun(Outcome.NOT_SOLVED, SolverName.HIGHS, "Interrupted", 0.0)
    )
    assert main(["solve", str(JP)]) == 4
    assert capsys.readouterr().out == ""


def test_a_non_finite_number_is_never_printed_as_json(capsys, monkeypatch):
    real = pipeline.optimize

    def overflowing(*args, **kwargs):
        return dataclasses.replace(real(*args, **kwargs), total_cost=float("inf"))

    # The CLI solves with exact prices.
    monkeypatch.setattr("optimizer.workbench.solve_command.optimize_priced", overflowing)
    assert main(["solve", str(JP), "--format", "json"]) == 4
    document = strict_loads(capsys.readouterr().out)
    assert document["status"] == "error" and "NaN or infinity" in document["message"]


def test_strict_json_refuses_nan_and_escapes_a_lone_surrogate():
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        strict_json({"x": float("nan")})
    text = strict_json({"errors": ["bad key '\udc80'"]})
    text.encode("utf-8")  # printable
    assert strict_loads(text) == {"errors": ["bad key '\udc80'"]}


def test_wants_json_reads_what_argparse_accepts():
    assert wants_json(["solve", "x", "--format", "json"])
    assert wants_json(["solve", "x", "--format=json"])
    assert wants_json(["solve", "x", "--fo", "json"])
    assert not wants_json(["solve", "x", "--format", "csv"])
    assert not wants_json(["solve", "json"])
    assert not wants_json(["solve", "x", "--format"])


# --- item 14: an infeasible CSV says so -------------------------------------------------------


def test_an_infeasible_csv_carries_the_status_the_diagnosis_and_the_fixes(capsys):
    assert main(["solve", str(INFEASIBLE), "--format", "csv"]) == 3
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows, "no rows: a CSV reader would see nothing"
    assert {row["status"] for row in rows} == {"infeasible"}
    assert rows[0]["item"] == "summary" and "no mix" in rows[0]["explanation"]
    diagnosis = [row for row in rows if row["item"] == "diagnosis"]
    assert diagnosis and float(diagnosis[0]["shortfall"]) == pytest.approx(1e9)
    fixes = [row for row in rows if row["item"] == "fix"]
    assert fixes[0]["field"] == "instruments[1].max_amount" and float(fixes[0]["proposed"]) == 2e9
    assert float(fixes[0]["total_cost"]) > 0


def test_an_optimal_csv_carries_the_status_on_every_row(capsys):
    assert main(["solve", str(JP), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["status"] for row in rows} == {"optimal"}
    assert list(rows[0])[:3] == ["status", "id", "kind"]
