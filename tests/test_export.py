"""Exported files (optimizer/workbench/export.py): the case as YAML, the answer as a workbook."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from optimizer import case_from_bytes, load_case, optimize
from optimizer.workbench.export import answer_tables, answer_workbook, case_to_yaml

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
NAMES = sorted(path.name for path in EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("name", NAMES)
def test_the_yaml_reads_back_to_the_same_case(name):
    case = load_case(EXAMPLES / name)
    text = case_to_yaml(case)
    assert case_from_bytes(text.encode("utf-8"), "export", "yaml") == case
    assert "10000000000.0" not in text  # amounts are written as a person types them


def test_the_workbook_has_one_sheet_per_table_with_the_same_rows():
    solution = optimize(load_case(EXAMPLES / "jp-midsize.yaml"))
    book = load_workbook(io.BytesIO(answer_workbook(solution)))
    tables = answer_tables(solution)
    assert book.sheetnames == ["Summary", "Allocation", "What binds", "Not bought", "Ladder"]
    for title, rows in tables.items():
        sheet = book[title]
        assert [cell.value for cell in sheet[1]] == list(rows[0])
        assert sheet.max_row == len(rows) + 1
    allocation = book["Allocation"]
    header = [cell.value for cell in allocation[1]]
    costs = [row[header.index("annual_cost")] for row in allocation.iter_rows(min_row=2, values_only=True)]
    assert sum(costs) == pytest.approx(solution.total_cost)


def test_an_infeasible_answer_exports_its_diagnosis_and_fixes():
    solution = optimize(load_case(EXAMPLES / "jp-midsize-infeasible.yaml"))
    book = load_workbook(io.BytesIO(answer_workbook(solution)))
    assert book.sheetnames == ["Summary", "Allocation", "Diagnosis", "Fixes"]
    fixes = list(book["Fixes"].iter_rows(min_row=2, values_only=True))
    assert len(fixes) == len(solution.fixes)
    assert fixes[0][0] == solution.fixes[0].change
