"""A market: a set of exchanges, each a case (its requirement, its tower of quotes, its limits).

``load_market`` takes the name of a market shipped in data/markets/ (``jp-28``), a folder of
case files, or one CSV of exchange profiles. A CSV row becomes a case with cash and the
standard tower (``STANDARD_TOWER``: layers in fractions of the exchange's R, rates scaled by
the row's ``rate_scale``). The formats are documented in data/markets/README.md.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optimizer.case.checks import check_case
from optimizer.case.errors import CaseError
from optimizer.case.loading import load_case
from optimizer.case.schema import Case
from optimizer.rules.requirement import requirement_basis

MARKETS_DIR = Path(__file__).resolve().parents[2] / "data" / "markets"
MAX_EXCHANGES = 20_000
"""The most exchanges one market may hold (a sweep solves each at every price)."""

STANDARD_TOWER = (
    # (attachment, limit) as fractions of R, rate on line, largest share on offer
    (0.10, 0.25, 0.060, 0.5),
    (0.35, 0.30, 0.035, 1.0),
    (0.65, 0.30, 0.022, 1.0),
    (0.95, 0.40, 0.013, 1.0),
)
"""The tower quoted to an exchange given as a CSV profile (an assumption, data/markets/README.md)."""

_EXCHANGE_FIELDS = (
    "trading_volume",
    "client_crypto_hot",
    "client_crypto_cold",
    "client_fiat",
    "fixed_overheads",
    "client_crypto_other",
)
_CONSTRAINT_FIELDS = ("min_cash_fraction", "max_counterparty_fraction", "max_insurance_fraction")
_COLUMNS = frozenset(
    {"name", "currency", "regime", "requirement", "cash_cost_rate", "rate_scale", "accounts"}
    | set(_EXCHANGE_FIELDS)
    | set(_CONSTRAINT_FIELDS)
)


class MarketError(ValueError):
    """A market that cannot be read, with every problem found."""


@dataclass(frozen=True)
class Market:
    """The exchanges of a market, in a stable order."""

    name: str
    source: str
    cases: tuple[Case, ...]


def load_market(spec: str | Path) -> Market:
    """Read a market: a name in data/markets/, a folder of case files, or a CSV of profiles.

    Raises
    ------
    MarketError
        Listing every unreadable or invalid exchange, or if the market is empty or too large.
    """
    path = Path(spec)
    if not path.exists() and (MARKETS_DIR / str(spec)).exists():
        path = MARKETS_DIR / str(spec)
    if path.is_dir():
        cases = _cases_from_folder(path)
    elif path.is_file() and path.suffix.lower() == ".csv":
        cases = cases_from_profiles(path.read_text(encoding="utf-8"), str(path))
    else:
        known = sorted(p.name for p in MARKETS_DIR.iterdir() if p.is_dir()) if MARKETS_DIR.is_dir() else []
        msg = (
            f"market {str(spec)!r} is neither a folder of cases, a .csv of profiles, nor a market in "
            f"data/markets/ (known: {', '.join(known) or 'none'})"
        )
        raise MarketError(msg)
    if not cases:
        msg = f"market {path} holds no exchanges"
        raise MarketError(msg)
    if len(cases) > MAX_EXCHANGES:
        msg = f"market {path} holds {len(cases):,} exchanges; at most {MAX_EXCHANGES:,} are priced in one run"
        raise MarketError(msg)
    names = [case.name for case in cases]
    twins = sorted({name for name in names if names.count(name) > 1})
    if twins:
        msg = f"market {path}: exchange names must be unique (seeds and reports use them); repeated: {twins[:5]}"
        raise MarketError(msg)
    return Market(path.stem if path.is_file() else path.name, str(path), tuple(cases))


def _cases_from_folder(folder: Path) -> list[Case]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in {".yaml", ".yml", ".json"})
    if len(files) > MAX_EXCHANGES:
        msg = f"market {folder} holds {len(files):,} case files; at most {MAX_EXCHANGES:,} are priced in one run"
        raise MarketError(msg)
    cases, problems = [], []
    for file in files:
        try:
            cases.append(load_case(file))
        except CaseError as error:
            problems.append(str(error))
    if problems:
        raise MarketError(f"{len(problems)} case file(s) in {folder} are invalid:\n" + "\n".join(problems))
    return cases


def cases_from_profiles(text: str, source: str = "the profiles") -> list[Case]:
    """One case per CSV row: the row's profile, cash, and the standard tower scaled to its R."""
    reader = csv.DictReader(io.StringIO(text))
    unknown = sorted(set(reader.fieldnames or ()) - _COLUMNS)
    if unknown or "name" not in (reader.fieldnames or ()):
        msg = (
            f"{source}: unknown column(s) {unknown} (known: {', '.join(sorted(_COLUMNS))})"
            if unknown
            else f"{source}: a 'name' column is required"
        )
        raise MarketError(msg)
    cases, problems = [], []
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_EXCHANGES:
            msg = f"{source} has more than {MAX_EXCHANGES:,} rows; at most {MAX_EXCHANGES:,} are priced in one run"
            raise MarketError(msg)
        try:
            cases.append(_case_from_row(row))
        except (CaseError, ValueError) as error:
            problems.append(f"{source} line {line} ({row.get('name') or 'no name'}): {error}")
    if problems:
        raise MarketError(f"{len(problems)} profile(s) are invalid:\n" + "\n".join(problems))
    return cases


def _number(row: dict[str, str], name: str) -> float | None:
    text = (row.get(name) or "").strip().replace("_", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        msg = f"column {name} must be a number (got {text!r})"
        raise ValueError(msg) from None


def _case_from_row(row: dict[str, str]) -> Case:
    requirement: dict[str, Any] = {}
    amount = _number(row, "requirement")
    regime = (row.get("regime") or "").strip()
    if amount is not None:
        requirement["amount"] = amount
    if regime:
        requirement["regime"] = regime
    exchange = {name: value for name in _EXCHANGE_FIELDS if (value := _number(row, name)) is not None}
    constraints = {name: value for name in _CONSTRAINT_FIELDS if (value := _number(row, name)) is not None}
    cost = _number(row, "cash_cost_rate")
    data: dict[str, Any] = {
        "name": row["name"].strip(),
        "currency": (row.get("currency") or "JPY").strip(),
        "requirement": requirement,
        "exchange": exchange,
        "instruments": [{"id": "cash", "kind": "cash", "cost_rate": 0.05 if cost is None else cost}],
        "constraints": constraints,
    }
    base = check_case(data, row["name"])
    r = requirement_basis(base).amount
    scale = _number(row, "rate_scale") or 1.0
    for index, (attachment, limit, rate, share) in enumerate(STANDARD_TOWER, start=1):
        data["instruments"].append(
            {
                "id": f"xl-{index}",
                "kind": "insurance",
                "counterparty": f"Insurer {'ABCD'[index - 1]}",
                "attachment": round(attachment * r, 2),
                "limit": round(limit * r, 2),
                "premium_rate": min(1.0, round(rate * scale, 6)),
                "max_share": share,
                "payout_days": 90,
            }
        )
    return check_case(data, row["name"])
