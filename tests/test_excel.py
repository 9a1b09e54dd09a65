"""Excel a CFO can use (#12 item 16): formats, widths, clean numbers, readable names, Market import."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from optimizer import CaseError, load_case, optimize
from optimizer.workbench.answer_format import constraint_label
from optimizer.workbench.excel_style import clean
from optimizer.workbench.export import answer_workbook
from optimizer.workbench.market_excel import instruments_from_xlsx, instruments_xlsx
from optimizer.workbench.market_table import rows_to_instruments

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def workbook(name="jp-midsize.yaml"):
    case = load_case(EXAMPLES / name)
    return case, load_workbook(io.BytesIO(answer_workbook(optimize(case))))


def header(sheet):
    return [cell.value for cell in sheet[1]]


def test_money_rates_and_widths():
    _, book = workbook()
    allocation = book["Allocation"]
    columns = header(allocation)
    amount = allocation.cell(row=2, column=columns.index("amount") + 1)
    assert amount.value == 2_000_000_000 and amount.number_format == '"¥"#,##0'
    share = allocation.cell(row=6, column=columns.index("share") + 1)  # xl-2, a layer
    assert share.number_format == "0.00%"
    for letter, dimension in allocation.column_dimensions.items():
        assert 8 <= dimension.width <= 60, letter
    assert allocation.column_dimensions["D"].width >= len("2,000,000,000")
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    assert summary["total annual cost"].number_format == '"¥"#,##0'
    assert summary["marginal cost of requirement (per unit of R)"].number_format == "0.00%"
    prices = book["Not bought"]
    columns = header(prices)
    rows = {row[0].value: row for row in prices.iter_rows(min_row=2)}
    assert rows["xl-1-primary"][columns.index("current")].number_format == "0.00%"
    assert rows["cat-1"][columns.index("current")].number_format == '"¥"#,##0'


def test_no_float_noise():
    assert clean(0.03499999999999998) == 0.035
    assert clean(0.1 + 0.2) == 0.3
    assert clean(2000000000.0000002) == 2_000_000_000
    assert clean(-2.98023223877e-08) == 0.0
    _, book = workbook()
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, float) and cell.value != 0:
                    # repr is the shortest text that reads back as the same float: noise shows as 16-17 digits.
                    mantissa = repr(abs(cell.value)).split("e")[0].replace(".", "").strip("0")
                    assert len(mantissa) <= 12 and abs(cell.value) >= 1e-6, cell.value


def test_constraint_names_are_readable():
    _, book = workbook()
    binds = book["What binds"]
    names = [row[0].value for row in binds.iter_rows(min_row=2)]
    assert "ladder test at a loss of ¥10.0bn" in names
    assert "cash floor" in names and "all on offer of lc-bank-a" in names
    assert not any("__" in name for name in names)
    assert constraint_label("counterparty_cap__2__Bank_A", "counterparty_cap", "JPY") == "cap per counterparty: Bank A"


def test_the_market_round_trips_through_excel():
    case = load_case(EXAMPLES / "jp-midsize.yaml")
    instruments = case.model_dump(mode="json")["instruments"]
    raw = instruments_xlsx(instruments, "JPY")
    sheet = load_workbook(io.BytesIO(raw))["Instruments"]
    columns = header(sheet)
    assert sheet.cell(row=2, column=columns.index("cost_rate") + 1).number_format == "0.00%"
    back, _ = rows_to_instruments(instruments_from_xlsx(raw, "instruments.xlsx"))
    # Every field given comes back with its value (blank and false cells are "not given").
    assert back == [{key: value for key, value in item.items() if value is not None and value is not False}
                    for item in instruments]
    assert [item["id"] for item in back] == [item["id"] for item in instruments]
    assert back[0]["cost_rate"] == 0.05


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_with_formulas_or_bad_columns_is_refused():
    with pytest.raises(CaseError, match="holds a formula"):
        instruments_from_xlsx(xlsx([["id", "kind", "cost_rate"], ["cash", "cash", "=1/20"]]), "q.xlsx")
    with pytest.raises(CaseError) as error:
        instruments_from_xlsx(xlsx([["id", "kinds"], ["cash", "cash"]]), "q.xlsx")
    assert "did you mean 'kind'" in str(error.value.problems)
    with pytest.raises(CaseError, match="not an Excel workbook"):
        instruments_from_xlsx(b"id,kind\ncash,cash\n", "q.xlsx")


def test_the_market_page_imports_excel(app):
    from apptest_helpers import open_page

    open_page(app, "market")
    raw = xlsx([["id", "kind", "counterparty", "cost_rate", "fee_rate", "max_amount", "payout_days"],
                ["cash", "cash", None, 0.05, None, None, None],
                ["lc", "guarantee", "Bank Z", None, 0.01, 20_000_000_000, 2]])
    app.file_uploader[0].set_value(("quotes.xlsx", raw, "application/octet-stream")).run()
    assert not app.exception
    assert app.success[0].value == "2 instruments, all valid."
