"""The market of instruments as one flat table: for the app's editor and for CSV files.

One row per instrument, one column per case field (the union over the four kinds); a blank
cell means the field is absent. Column names are the case file's field names, so a CSV
exported here reads like the ``instruments`` list of a case file.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from optimizer.case.errors import CaseError, Problem, shown
from optimizer.case.phrase import phrase
from optimizer.case.schema import Cash, Guarantee, Insurance, Parametric
from optimizer.workbench.cells import csv_text, restore_cell

# Reading order for a CFO: who and what, then price, then size, then terms.
COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "counterparty",
    "cost_rate",
    "fee_rate",
    "premium_rate",
    "premium",
    "max_amount",
    "attachment",
    "limit",
    "aggregate_limit",
    "max_share",
    "min_share",
    "all_or_nothing",
    "trigger",
    "payout",
    "max_units",
    "integer_units",
    "max_payouts_per_year",
    "credit",
    "payout_days",
    "description",
)
TEXT_COLUMNS = frozenset({"id", "kind", "counterparty", "description"})
BOOL_COLUMNS = frozenset({"all_or_nothing", "integer_units"})
INT_COLUMNS = frozenset({"payout_days", "max_payouts_per_year"})
NUMBER_COLUMNS = frozenset(COLUMNS) - TEXT_COLUMNS - BOOL_COLUMNS - INT_COLUMNS
INSTRUMENT_MODELS = (Cash, Guarantee, Insurance, Parametric)

MAX_CSV_BYTES = 1_000_000
"""Largest instruments CSV accepted (1 MB: thousands of quotes)."""

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


def instruments_to_rows(instruments: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per instrument with every column present (None where the field is absent)."""
    return [{column: item.get(column) for column in COLUMNS} for item in instruments]


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _native(value: Any) -> Any:
    # pandas hands back numpy scalars; pydantic's strict types want Python ones.
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, str) else value


def _cell(column: str, value: Any) -> Any:
    value = _native(value)
    if isinstance(value, str):
        value = value.strip()
    if column in BOOL_COLUMNS:
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        return value
    if column in TEXT_COLUMNS:
        return value if isinstance(value, str) else str(value)
    if isinstance(value, str):
        try:
            value = float(value)  # accepts 2_000_000 and 1e9, as the case file does
        except ValueError:
            return value  # check_case explains it ("must be a number (got '3%')")
    if column in INT_COLUMNS and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def rows_to_instruments(rows: Iterable[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[int]]:
    """Instruments (raw case data) from table rows, and the row each came from.

    Blank cells are left out, so each instrument carries only the fields it was given; a
    false tick-box is left out too (false is the default). Wholly blank rows are skipped.
    """
    instruments: list[dict[str, Any]] = []
    row_of: list[int] = []
    for index, row in enumerate(rows):
        item = {}
        for column, value in row.items():
            if _is_blank(value):
                continue
            converted = _cell(column, value)
            if column in BOOL_COLUMNS and converted is False:
                continue
            item[column] = converted
        if item:
            instruments.append(item)
            row_of.append(index)
    return instruments, row_of


@dataclass(frozen=True)
class RowProblem:
    """A problem with one cell of the table (``row`` is 0-based; None for the case as a whole)."""

    row: int | None
    column: str
    message: str


_INSTRUMENT_PATH = re.compile(r"^instruments\[(\d+)\](?:\.(\w+))?(.*)$")


def problems_by_row(problems: Sequence[Problem], row_of: Sequence[int]) -> list[RowProblem]:
    """Map case problems (``instruments[2].premium_rate``) onto table rows and columns."""
    result = []
    for problem in problems:
        match = _INSTRUMENT_PATH.match(problem.path)
        if match is None:
            result.append(RowProblem(None, problem.path, problem.message))
            continue
        index = int(match.group(1))
        row = row_of[index] if index < len(row_of) else None
        result.append(RowProblem(row, (match.group(2) or "") + match.group(3), problem.message))
    return result


def instruments_csv(instruments: Iterable[Mapping[str, Any]]) -> str:
    """The instruments as CSV with a header of case field names (blank for absent fields).

    Text that a spreadsheet would run as a formula gets a leading quote (``cells``);
    ``instruments_from_csv`` takes it off again, so the file reads back to the same market.
    """
    rows = instruments_to_rows(instruments)
    return csv_text(COLUMNS, (["" if value is None else _csv_value(value) for value in row.values()] for row in rows))


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return int(value)  # 2000000000 rather than 2000000000.0
    return value


def instruments_from_csv(raw: bytes, source: str = "the CSV file") -> list[dict[str, Any]]:
    """Parse an instruments CSV (as written by ``instruments_csv``) into table rows.

    The rows still need ``rows_to_instruments`` and ``check_case``; this only checks the
    file's shape: size, encoding, header and column names, reporting every problem at once.

    Raises
    ------
    CaseError
        If the file is too large, not UTF-8, has no header, or names unknown columns.
    """
    if len(raw) > MAX_CSV_BYTES:
        msg = f"the file is {len(raw):,} bytes, over the {MAX_CSV_BYTES:,}-byte limit; split it or remove rows"
        said = phrase("problems.table_too_large", size=len(raw), most=MAX_CSV_BYTES)
        raise CaseError([Problem("", msg, said)], source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        msg = f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x} at position {error.start}); save it as UTF-8"
        said = phrase("problems.table_not_utf8", byte=f"{raw[error.start]:02x}", position=error.start)
        raise CaseError([Problem("", msg, said)], source) from None
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _read_rows(reader, source)
    except csv.Error as error:  # a cell over csv.field_size_limit(), an unclosed quote
        msg = (
            f"line {reader.line_num + 1} cannot be read as CSV ({error}); check the quotes on that line "
            f"(a cell holds at most {csv.field_size_limit():,} characters)"
        )
        said = phrase("problems.csv_line", line=reader.line_num + 1, error=str(error), most=csv.field_size_limit())
        raise CaseError([Problem("", msg, said)], source) from None


def _read_rows(reader: csv.DictReader[str], source: str) -> list[dict[str, Any]]:
    header = [name.strip() for name in reader.fieldnames or []]
    if not header:
        msg = f"the file has no header row; the first line must name the columns, such as {', '.join(COLUMNS[:4])}"
        said = phrase("problems.table_no_header", columns=", ".join(COLUMNS[:4]))
        raise CaseError([Problem("", msg, said)], source)
    problems = []
    for position, name in enumerate(header):
        if name in header[:position]:
            # csv.DictReader keeps the last of two same-named columns without a word.
            first = header.index(name) + 1
            problems.append(
                Problem(
                    f"column {shown(name, 60)}",
                    f"appears twice in the header (columns {first} and {position + 1}); "
                    "keep one, as a key may appear only once in a case file",
                    phrase("problems.column_twice", first=first, second=position + 1),
                )
            )
            continue
        if name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            fix = f"did you mean {close[0]!r}?" if close else f"known columns: {', '.join(COLUMNS)}"
            remedy = (
                phrase("problems.did_you_mean", name=repr(close[0]))
                if close
                else phrase("problems.known_columns", columns=", ".join(COLUMNS))
            )
            said = phrase("problems.not_a_column", fix=remedy)
            problems.append(Problem(f"column {shown(name, 60)}", f"is not an instrument field; {fix}", said))
    problems += [
        Problem(
            f"column {name!r}",
            "is required (got no such column); every instrument needs it",
            phrase("problems.column_required"),
        )
        for name in ("id", "kind")
        if name not in header
    ]
    if problems:
        raise CaseError(problems, source)
    rows = []
    for record in reader:
        extra = record.pop(None, None)
        if extra:
            line = reader.line_num
            said = phrase("problems.more_cells", cells=shown(extra))
            problem = Problem(f"line {line}", f"has more cells than the header ({shown(extra)})", said)
            raise CaseError([problem], source)
        rows.append({(key or "").strip(): restore_cell(value) for key, value in record.items()})
    if not rows:
        msg = "the file has a header but no instruments; add one row per instrument"
        raise CaseError([Problem("", msg, phrase("problems.table_no_rows"))], source)
    return rows
