"""Cells that a spreadsheet shows as text: the one guard every CSV and Excel export goes through.

A spreadsheet opening a CSV (or reading a workbook) treats a cell that begins with ``=``,
``+``, ``-`` or ``@`` as a formula, so an instrument id or counterparty such as
``=HYPERLINK("http://…")`` or ``=cmd|' /C calc'!A0`` from an uploaded case would run as one
("CSV injection", also "formula injection"). Following OWASP's advice
(https://owasp.org/www-community/attacks/CSV_Injection), ``spreadsheet_cell`` prefixes such a
text cell with a single quote, which spreadsheets read as "this is text"; the export then shows
``'=HYPERLINK(…)`` and nothing runs.

What counts as dangerous, beyond OWASP's list (``= + - @``, tab, carriage return):

- a trigger after leading white space (``" =1+2"``): some importers trim cells first;
- a line feed at the start, and the full-width forms ``＝ ＋ － ＠`` that Japanese and Chinese
  input methods type and some spreadsheets read as the ASCII ones.

Numbers stay numbers: a float or int is returned as it is (``-5.0`` is not text), and so is a
string that is exactly a plain decimal number (``"-0.25"``, ``"1e9"``), which a spreadsheet
reads as that number and never as a formula. ``restore_cell`` undoes the prefix when a file
this tool wrote is read back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n＝＋－＠")
"""First characters that make a spreadsheet read a text cell as a formula (or strip to one)."""

TEXT_PREFIX = "'"
"""What a spreadsheet reads as "the rest is text" (OWASP's neutraliser)."""

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _is_risky(text: str) -> bool:
    if not text:
        return False
    if text[0] in FORMULA_TRIGGERS:
        return _PLAIN_NUMBER.fullmatch(text) is None
    stripped = text.lstrip()
    return bool(stripped) and stripped != text and stripped[0] in FORMULA_TRIGGERS


def spreadsheet_cell(value: Any) -> Any:
    """``value`` made safe to put in a CSV or Excel cell.

    Parameters
    ----------
    value
        Any cell value. Only text is changed: numbers, booleans and None pass as they are.

    Returns
    -------
    Any
        The value, with a single quote in front if it is text that a spreadsheet would read
        as a formula (see the module docstring for the characters and the exceptions).
    """
    if isinstance(value, str) and _is_risky(value):
        return TEXT_PREFIX + value
    return value


def restore_cell(value: Any) -> Any:
    """The inverse of ``spreadsheet_cell`` for a cell read back from a file this tool wrote.

    Only a quote that ``spreadsheet_cell`` would have added is removed (``'=x`` becomes ``=x``);
    any other text, including ``'quoted'``, is returned unchanged.
    """
    if isinstance(value, str) and value.startswith(TEXT_PREFIX) and _is_risky(value[1:]):
        return value[1:]
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV document (RFC 4180 quoting, a line feed after each row) with every cell made safe.

    Cells go through ``spreadsheet_cell``, so this is the one CSV writer the exports use. A
    cell is quoted when it holds a comma, a double quote, a carriage return or a line feed
    (Python's ``csv`` module leaves a lone carriage return unquoted when rows end in a line
    feed, and a reader then splits the row there).
    """
    lines = [",".join(_csv_field(spreadsheet_cell(cell)) for cell in row) for row in (header, *rows)]
    return "".join(line + "\n" for line in lines)


def _csv_field(value: Any) -> str:
    text = "" if value is None else str(value)
    if any(char in text for char in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
