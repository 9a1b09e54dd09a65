"""Read a year-event loss table (``scenarios.events``): CSV with columns year,loss.

The standard interchange of catastrophe models (a "YELT"): one row per event, years 1..S,
several rows for a year with several events, no row for a year without one. Every problem is
reported as a CaseError on ``scenarios.events`` naming the value and the fix (exit 2).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from optimizer.case.errors import CaseError, Problem
from optimizer.risk.scenarios import Scenarios, scenarios_from_events

MAX_EVENTS_BYTES = 200 * 1024 * 1024
"""Largest events file read: 200 MB (about 10M rows); larger tables should be cut or sampled."""

_FIELD = "scenarios.events"
_SHOWN = 5


def read_events(name: str, years: int, base_dir: Path | None, source: str = "the case") -> Scenarios:
    """Read and check the events file ``name`` (relative to ``base_dir``) covering ``years`` years."""
    path = Path(name)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path

    def fail(message: str) -> CaseError:
        return CaseError([Problem(_FIELD, message)], source)

    if not path.is_file():
        where = f"{path}" + ("" if base_dir is None else f" (paths are relative to the case file's folder {base_dir})")
        msg = f"must name an existing CSV file (got {name!r}; no file at {where}); fix the path"
        raise fail(msg)
    size = path.stat().st_size
    if size > MAX_EVENTS_BYTES:
        msg = (
            f"must be at most 200 MB (got {name!r}, {size / 1024 / 1024:,.0f} MB); cut the table to fewer "
            "years or keep only events that can matter (e.g. above the retention)"
        )
        raise fail(msg)
    try:
        with path.open(encoding="utf-8-sig") as handle:
            header = handle.readline()
    except (OSError, UnicodeDecodeError):
        msg = f"must be a UTF-8 CSV text file (got {name!r}, which is not text); save it as CSV"
        raise fail(msg) from None
    columns = [c.strip().lower() for c in header.strip().split(",")]
    if "year" not in columns or "loss" not in columns:
        msg = (
            f"must be a CSV file whose first line names the columns year,loss (got {name!r} with first line "
            f"{header.strip()[:80]!r}); add the header year,loss"
        )
        raise fail(msg)
    import pandas as pd  # here, not at the top: slow to import, and only an events table needs it (issue #12)

    try:
        table = pd.read_csv(path, usecols=lambda c: c.strip().lower() in ("year", "loss"), encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        msg = f"must be a readable CSV file (got {name!r}: {error}); check its commas and quotes"
        raise fail(msg) from None
    table.columns = [c.strip().lower() for c in table.columns]
    year = pd.to_numeric(table["year"], errors="coerce").to_numpy(dtype=np.float64)
    loss = pd.to_numeric(table["loss"], errors="coerce").to_numpy(dtype=np.float64)
    problems = _row_problems(year, loss, years, name)
    if problems:
        raise CaseError([Problem(_FIELD, text) for text in problems], source)
    words = f"{years:,} years from {name} ({year.size:,} events)"
    return scenarios_from_events(years, year.astype(np.int64), loss, words)


def _row_problems(year: np.ndarray, loss: np.ndarray, years: int, name: str) -> list[str]:
    problems = []
    bad_year = ~np.isfinite(year) | (year != np.round(year)) | (year < 1) | (year > years)
    if bad_year.any():
        rows = np.flatnonzero(bad_year)
        problems.append(
            f"year must be a whole number from 1 to scenarios.years = {years:,} (got {_values(year, rows)} in "
            f"{name} {_rows(rows)}); fix those rows or raise scenarios.years to the years the table covers"
        )
    bad_loss = ~np.isfinite(loss) | (loss < 0)
    if bad_loss.any():
        rows = np.flatnonzero(bad_loss)
        problems.append(
            f"loss must be a number of zero or more in the case currency (got {_values(loss, rows)} in {name} "
            f"{_rows(rows)}); losses are positive amounts, with no thousands separators"
        )
    return problems


def _rows(rows: np.ndarray) -> str:
    # Row numbers as a spreadsheet shows them: the header is line 1.
    shown = ", ".join(str(int(r) + 2) for r in rows[:_SHOWN])
    more = f" and {rows.size - _SHOWN:,} more" if rows.size > _SHOWN else ""
    return f"on line{'s' if rows.size > 1 else ''} {shown}{more}"


def _values(values: np.ndarray, rows: np.ndarray) -> str:
    return ", ".join("empty or not a number" if np.isnan(v) else f"{v:g}" for v in values[rows[:_SHOWN]])
