"""Files to take away: the case as YAML, and the answer as a workbook with one sheet per table.

The answer's tables (``answer_tables``) are plain rows, so the workbook, the app and any other
report show the same columns under the same names.
"""

from __future__ import annotations

import io
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.case.schema import Case
from optimizer.coverage.solution import Solution, Status
from optimizer.workbench.answer_format import constraint_label, format_answer_sheet
from optimizer.workbench.cells import spreadsheet_cell
from optimizer.workbench.excel_style import clean
from optimizer.workbench.report import allocation_rows

Rows = list[dict[str, Any]]


def _tidy_numbers(value: Any) -> Any:
    # JSON mode writes every amount as a float (10000000000.0); a person reads 10000000000.
    if isinstance(value, dict):
        return {key: _tidy_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_tidy_numbers(item) for item in value]
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1:
        return int(value)
    return value


def case_to_yaml(case: Case) -> str:
    """The case as a YAML case file that ``load_case`` reads back to an equal case."""
    data = _tidy_numbers(case.model_dump(mode="json", exclude_none=True))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def answer_tables(solution: Solution) -> dict[str, Rows]:
    """The answer as named tables of rows: summary, allocation, and the explanations."""
    tables: dict[str, Rows] = {
        "Summary": _summary_rows(solution),
        "Allocation": allocation_rows(solution),
    }
    if solution.status is Status.INFEASIBLE:
        tables["Diagnosis"] = [
            {"constraint": item.constraint, "shortfall": item.shortfall, "explanation": item.text}
            for item in solution.diagnosis
        ]
        tables["Fixes"] = [
            {
                "change": fix.change,
                "field": fix.field,
                "current": fix.current,
                "proposed": fix.proposed,
                "total_cost": fix.total_cost,
            }
            for fix in solution.fixes
        ]
        return tables
    tables["What binds"] = [
        {"constraint": constraint_label(item.name, item.family, solution.currency), "explanation": item.text,
         "shadow_price": item.shadow_price, "model row": item.name}
        for item in solution.binding
    ]
    tables["Not bought"] = [
        {
            "id": item.id,
            "kind": item.kind,
            "price_field": item.price_field,
            "current": item.current,
            "break_even": item.break_even,
            "reduced_cost": item.reduced_cost,
        }
        for item in solution.not_bought
    ]
    ids = [item.id for item in solution.allocations]
    tables["Ladder"] = [
        {"loss": point.loss, "funds": point.funds, **{key: point.by_instrument.get(key, 0.0) for key in ids}}
        for point in solution.ladder
    ]
    return tables


def _summary_rows(solution: Solution) -> Rows:
    items: list[tuple[str, Any]] = [
        ("case", solution.case_name),
        ("currency", solution.currency),
        ("coverage", solution.coverage),
        ("status", str(solution.status)),
        ("requirement", solution.requirement),
        ("requirement source", solution.requirement_source),
        ("total annual cost", solution.total_cost),
        ("marginal cost of requirement (per unit of R)", solution.marginal_cost_of_requirement),
        ("face total", solution.face_total),
        ("ladder minimum margin", solution.ladder_minimum_margin),
        ("verified without the LP", solution.verified),
        ("solver", solution.solver),
        ("duals note", solution.duals_note),
    ]
    return [{"item": name, "value": value} for name, value in items]


def answer_workbook(solution: Solution) -> bytes:
    """The answer as an Excel workbook (.xlsx), one sheet per table of ``answer_tables``.

    Every cell goes through the spreadsheet guard (``cells.spreadsheet_cell``) and text is
    stored as text, never as a formula, whatever it begins with.
    """
    book = Workbook()
    book.remove(book.active)
    for title, rows in answer_tables(solution).items():
        sheet = book.create_sheet(title)
        columns = list(rows[0]) if rows else ["(none)"]
        _write_row(sheet, 1, columns)
        for number, row in enumerate(rows, start=2):
            # clean(): no float noise such as 0.03499999999999998 in a cell.
            _write_row(sheet, number, [_cell_value(clean(row[column])) for column in columns])
        format_answer_sheet(sheet, title, columns, rows, solution.currency)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_row(sheet: Worksheet, row: int, values: list[Any]) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        cell.value = spreadsheet_cell(value)
        if isinstance(cell.value, str):
            # openpyxl stores any text that begins with "=" as a formula; the guard above means
            # none does, and this keeps text stored as text should the guard ever change.
            cell.data_type = "s"


def _cell_value(value: Any) -> Any:
    # Excel cells take numbers, text and booleans; anything else is written as text.
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
