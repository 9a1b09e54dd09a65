"""The Market table as an Excel workbook, and back: for CFOs who keep quotes in Excel.

The sheet has the case file's field names as its header (like the CSV), so a workbook
exported here imports back unchanged. Values are the case's own numbers: rates are
fractions shown with a percent format (0.035 shows as 3.50%), money has the currency's
format (¥#,##0). Reading goes through the CSV reader's checks (header, unknown columns,
size), so both files get the same messages; cells holding formulas are refused, as a
formula is not a quote.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from optimizer.case.errors import CaseError, Problem
from optimizer.case.phrase import phrase
from optimizer.workbench.cells import spreadsheet_cell
from optimizer.workbench.excel_style import money_format, set_widths
from optimizer.workbench.market_table import COLUMNS, MAX_CSV_BYTES, instruments_from_csv, instruments_to_rows

RATE_FIELDS = frozenset({"cost_rate", "fee_rate", "premium_rate", "max_share", "min_share", "credit"})
MONEY_FIELDS = frozenset({"premium", "max_amount", "attachment", "limit", "aggregate_limit", "trigger", "payout"})
MAX_ROWS = 10_000
"""Most instrument rows read from a workbook (a market has tens; this bounds a hostile file)."""
MAX_UNZIPPED_BYTES = 20_000_000
"""Most bytes a workbook may expand to (an .xlsx is a zip file; this refuses zip bombs)."""
SHEET = "Instruments"


def instruments_xlsx(instruments: Iterable[Mapping[str, Any]], currency: str) -> bytes:
    """The instruments as a one-sheet workbook with the case's field names as the header."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for number, row in enumerate(instruments_to_rows(instruments), start=2):
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=number, column=index)
            cell.value = spreadsheet_cell(row[column])  # an id such as "=HYPERLINK(...)" stays text
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        style = "0.00%" if column in RATE_FIELDS else money_format(currency) if column in MONEY_FIELDS else None
        if style:
            for cell in sheet[letter][1:]:
                cell.number_format = style
    sheet.freeze_panes = "B2"  # the header and the id stay in view
    set_widths(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def instruments_from_xlsx(raw: bytes, source: str = "the workbook") -> list[dict[str, Any]]:
    """Table rows from a workbook's first sheet (or its "Instruments" sheet), checked like a CSV.

    Raises
    ------
    CaseError
        If the file is not a workbook, too large, holds formulas, or fails the CSV checks.
    """
    if len(raw) > MAX_CSV_BYTES:
        msg = f"the file is {len(raw):,} bytes, over the {MAX_CSV_BYTES:,}-byte limit; split it or remove rows"
        said = phrase("problems.table_too_large", size=len(raw), most=MAX_CSV_BYTES)
        raise CaseError([Problem("", msg, said)], source)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unzipped = sum(item.file_size for item in archive.infolist())
        if unzipped > MAX_UNZIPPED_BYTES:
            msg = f"the workbook expands to {unzipped:,} bytes, over the {MAX_UNZIPPED_BYTES:,}-byte limit"
            said = phrase("problems.workbook_expands", size=unzipped, most=MAX_UNZIPPED_BYTES)
            raise CaseError([Problem("", msg, said)], source)
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        msg = f"the file is not an Excel workbook (.xlsx) ({type(error).__name__}); save it as .xlsx or CSV"
        said = phrase("problems.not_xlsx", error=type(error).__name__)
        raise CaseError([Problem("", msg, said)], source) from None
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS + 1:
            msg = f"the sheet has more than {MAX_ROWS:,} rows; a market has tens of instruments"
            raise CaseError([Problem("", msg, phrase("problems.too_many_rows", most=MAX_ROWS))], source)
        cells = list(row[: len(COLUMNS) + 20])
        formulas = [index for index, value in enumerate(cells) if isinstance(value, str) and value.startswith("=")]
        if formulas:
            where = f"{get_column_letter(formulas[0] + 1)}{number}"
            formula = repr(str(cells[formulas[0]])[:60])
            msg = f"holds a formula ({formula}); paste the values instead of formulas"
            raise CaseError([Problem(f"cell {where}", msg, phrase("problems.formula", formula=formula))], source)
        if all(value is None for value in cells):
            continue
        writer.writerow([_text(value) for value in cells])
    book.close()
    return instruments_from_csv(buffer.getvalue().encode("utf-8"), source)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)
