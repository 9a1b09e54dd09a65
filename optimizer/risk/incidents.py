"""Exchange security incidents 2011-2025: the loader, its schema check and a summary.

The table lives in ``data/incidents.csv``; ``data/incidents.md`` says where each figure comes
from, what each column means and which figures are doubtful. The loader checks every row
against the schema below and reports all problems in one :class:`IncidentDataError`, each
naming the row, the column, the rule and the value received.
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:  # pandas is imported where a table is read: it is slow to import (issue #12)
    import pandas as pd

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "incidents.csv"

COLUMNS: tuple[str, ...] = (
    "date", "date_precision", "exchange", "country", "assets", "loss_usd_low", "loss_usd_high",
    "loss_native", "vector", "cold_storage_involved", "vendor_involved", "outcome", "outcome_note",
    "source", "amount_note",
)  # fmt: skip
DATE_PRECISIONS: frozenset[str] = frozenset({"day", "month", "year"})
VECTORS: frozenset[str] = frozenset({
    "hot_wallet", "cold_wallet", "vendor_or_signing", "insider", "account_compromise",
    "smart_contract_or_bridge", "exchange_failure", "unknown",
})  # fmt: skip
OUTCOMES: frozenset[str] = frozenset({
    "refunded_in_full", "partially_refunded", "socialised_loss", "bankruptcy",
    "rescued_or_acquired", "unresolved", "other",
})  # fmt: skip
BOOLEAN_COLUMNS: tuple[str, ...] = ("cold_storage_involved", "vendor_involved")
USD_COLUMNS: tuple[str, ...] = ("loss_usd_low", "loss_usd_high")
REQUIRED_TEXT: tuple[str, ...] = ("exchange", "country", "source")


class IncidentDataError(ValueError):
    """The incident table breaks its schema; the message lists every problem found."""


class LargestIncident(TypedDict):
    """One of the largest incidents, by mid USD loss."""

    date: str
    exchange: str
    low: float
    high: float


class IncidentSummary(TypedDict):
    """What :func:`summarise_incidents` returns. USD amounts are at the time of each loss."""

    count: int
    first_date: str
    last_date: str
    count_with_usd: int
    total_mid_usd: float
    median_mid_usd: float
    largest: list[LargestIncident]
    by_vector: dict[str, int]
    by_outcome: dict[str, int]
    share_cold_storage: float
    share_vendor: float
    share_cold_or_vendor: float


def _choices(allowed: frozenset[str]) -> str:
    return ", ".join(sorted(allowed))


def _check_row(line: int, row: dict[str, str]) -> list[str]:
    """Return the problems in one row; ``line`` is the row's 1-based data row number."""
    where = f"row {line} (file line {line + 1})"
    problems: list[str] = []

    def bad(column: str, rule: str) -> None:
        problems.append(f"{where}, column {column!r}: {rule} (got {row[column]!r})")

    text = row["date"]
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or len(text) != 10:
        bad("date", "must be an ISO date YYYY-MM-DD; for a month-only date use the 1st")
    precision = row["date_precision"]
    if precision not in DATE_PRECISIONS:
        bad("date_precision", f"must be one of {_choices(DATE_PRECISIONS)}")
    elif day is not None and (
        (precision == "month" and day.day != 1) or (precision == "year" and (day.month, day.day) != (1, 1))
    ):
        # A month- or year-precision date is a stand-in; a real day in it would claim more.
        bad("date", f"must fall on the first day of its {precision} (date_precision)")

    amounts: dict[str, float] = {}
    for column in USD_COLUMNS:
        if row[column] == "":
            continue
        try:
            value = float(row[column])
        except ValueError:
            bad(column, "must be a number of US dollars (digits, no separators) or empty")
            continue
        if not math.isfinite(value) or value < 0:
            bad(column, "must be a finite number of US dollars >= 0")
        elif not re.fullmatch(r"\d+(\.\d+)?", row[column]):
            bad(column, "must be written as plain digits, e.g. 5100000")
        else:
            amounts[column] = value
    low, high = row["loss_usd_low"], row["loss_usd_high"]
    if (low == "") != (high == ""):
        bad("loss_usd_high", f"must be empty exactly when loss_usd_low is (low is {low!r})")
    elif len(amounts) == 2 and amounts["loss_usd_low"] > amounts["loss_usd_high"]:
        bad("loss_usd_low", f"must be <= loss_usd_high ({high})")

    if row["vector"] not in VECTORS:
        bad("vector", f"must be one of {_choices(VECTORS)}")
    if row["outcome"] not in OUTCOMES:
        bad("outcome", f"must be one of {_choices(OUTCOMES)}")
    for column in BOOLEAN_COLUMNS:
        if row[column] not in ("true", "false"):
            bad(column, "must be true or false (lower case)")
    for column in REQUIRED_TEXT:
        if not row[column].strip():
            bad(column, "must not be empty")
    return problems


def load_incidents(path: Path | None = None) -> pd.DataFrame:
    """Load the incident table and check it against the schema.

    Parameters
    ----------
    path : Path, optional
        CSV to read; defaults to the project's ``data/incidents.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per incident: ``date`` as datetime64, the USD columns as float (NaN where the
        sources give no USD figure), the two ``*_involved`` columns as bool, the rest as str.

    Raises
    ------
    IncidentDataError
        If columns are missing or unexpected, or any row breaks a rule; lists every problem.
    """
    import pandas as pd

    path = DEFAULT_PATH if path is None else path
    # Read everything as text so the check sees exactly what the file says.
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in raw.columns]
    extra = [c for c in raw.columns if c not in COLUMNS]
    if missing or extra:
        msg = (
            f"{path}: columns do not match the incident schema: missing {missing}, "
            f"unexpected {extra}; expected exactly {list(COLUMNS)}"
        )
        raise IncidentDataError(msg)

    problems: list[str] = []
    for number, record in enumerate(raw.to_dict(orient="records"), start=1):
        problems += _check_row(number, {k: str(v) for k, v in record.items()})
    if problems:
        msg = f"{path}: {len(problems)} problem(s):\n" + "\n".join(problems)
        raise IncidentDataError(msg)

    frame = raw[list(COLUMNS)].copy()
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    for column in USD_COLUMNS:
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype(float)
    for column in BOOLEAN_COLUMNS:
        frame[column] = frame[column] == "true"
    return frame


def summarise_incidents(frame: pd.DataFrame) -> IncidentSummary:
    """Summarise a loaded incident table.

    The USD statistics use the mid loss ``(loss_usd_low + loss_usd_high) / 2`` over the rows
    that have a USD figure; rows without one count everywhere else.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table as returned by :func:`load_incidents`; must not be empty.

    Returns
    -------
    IncidentSummary
        Counts, date span, total and median mid loss, the five largest incidents by mid loss,
        counts by vector and by outcome, and the shares with cold storage or a vendor involved.
    """
    if frame.empty:
        msg = "cannot summarise an empty incident table; load_incidents() gives the full one"
        raise IncidentDataError(msg)
    mid = (frame["loss_usd_low"] + frame["loss_usd_high"]) / 2
    priced = frame.assign(mid=mid).dropna(subset=["mid"])
    top = priced.sort_values("mid", ascending=False, kind="stable").head(5)
    count = len(frame)
    cold = frame["cold_storage_involved"].astype(bool)
    vendor = frame["vendor_involved"].astype(bool)
    return {
        "count": count,
        "first_date": frame["date"].min().date().isoformat(),
        "last_date": frame["date"].max().date().isoformat(),
        "count_with_usd": len(priced),
        "total_mid_usd": float(priced["mid"].sum()),
        "median_mid_usd": float(priced["mid"].median()) if len(priced) else math.nan,
        "largest": [
            {
                "date": r.date.date().isoformat(),
                "exchange": str(r.exchange),
                "low": float(r.loss_usd_low),
                "high": float(r.loss_usd_high),
            }
            for r in top.itertuples()
        ],
        "by_vector": {str(k): int(v) for k, v in frame["vector"].value_counts().items()},
        "by_outcome": {str(k): int(v) for k, v in frame["outcome"].value_counts().items()},
        "share_cold_storage": float(cold.mean()),
        "share_vendor": float(vendor.mean()),
        "share_cold_or_vendor": float((cold | vendor).mean()),
    }


def format_usd(amount: float) -> str:
    """Show US dollars to three significant figures: ``$1.46bn``, ``$305m``, ``$5.1m``."""
    if math.isnan(amount):
        return "n/a"
    # Round first, so 999.6m shows as $1bn rather than $1000m.
    rounded = float(f"{amount:.3g}")
    for unit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(rounded) >= unit:
            return f"${rounded / unit:g}{suffix}"
    return f"${rounded:g}"


def format_incident_summary(summary: IncidentSummary) -> str:
    """Render :func:`summarise_incidents` output as readable lines of text."""
    n = summary["count"]
    lines = [
        f"{n} incidents, {summary['first_date']} to {summary['last_date']}",
        (
            f"USD figure given for {summary['count_with_usd']} of {n}; mid loss total "
            f"{format_usd(summary['total_mid_usd'])}, median {format_usd(summary['median_mid_usd'])}"
        ),
        "Largest (low-high):",
    ]
    for big in summary["largest"]:
        span = format_usd(big["low"])
        if big["high"] != big["low"]:
            span += f"-{format_usd(big['high'])}"
        lines.append(f"  {big['date']}  {big['exchange']}: {span}")
    for title, counts in (("By vector:", summary["by_vector"]), ("By outcome:", summary["by_outcome"])):
        lines.append(title)
        lines += [f"  {name}: {k}" for name, k in counts.items()]
    lines.append(
        f"Cold storage involved: {summary['share_cold_storage']:.0%}; "
        f"vendor involved: {summary['share_vendor']:.0%}; "
        f"either: {summary['share_cold_or_vendor']:.0%}"
    )
    return "\n".join(lines)
