"""Tests for the incident table (data/incidents.csv) and its loader, optimizer/risk/incidents.py."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from optimizer.risk.incidents import (
    COLUMNS,
    DEFAULT_PATH,
    IncidentDataError,
    format_incident_summary,
    format_usd,
    load_incidents,
    summarise_incidents,
)

M = 1_000_000


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    return load_incidents()


def _row(frame: pd.DataFrame, day: str, exchange: str) -> pd.Series:
    hit = frame[(frame["date"] == pd.Timestamp(day)) & (frame["exchange"] == exchange)]
    assert len(hit) == 1, (day, exchange)
    return hit.iloc[0]


# ---- the shipped file ---------------------------------------------------------------------


def test_shipped_file_is_inside_the_repo_and_loads(incidents: pd.DataFrame) -> None:
    assert DEFAULT_PATH.is_file()
    assert "shared" not in DEFAULT_PATH.parts
    assert list(incidents.columns) == list(COLUMNS)
    assert len(incidents) == 37  # one row per incident in the research notes' hacks.csv


def test_dtypes(incidents: pd.DataFrame) -> None:
    assert pd.api.types.is_datetime64_dtype(incidents["date"])
    for column in ("loss_usd_low", "loss_usd_high"):
        assert incidents[column].dtype == float
    for column in ("cold_storage_involved", "vendor_involved"):
        assert incidents[column].dtype == bool
    for column in ("exchange", "vector", "outcome", "source"):
        assert pd.api.types.is_string_dtype(incidents[column])


def test_dates_sorted_and_within_2011_to_2025(incidents: pd.DataFrame) -> None:
    assert incidents["date"].is_monotonic_increasing
    assert incidents["date"].min() == pd.Timestamp("2011-06-01")
    assert incidents["date"].max() == pd.Timestamp("2025-11-27")
    month_only = incidents.loc[incidents["date_precision"] == "month", "date"]
    assert sorted(month_only.dt.strftime("%Y-%m")) == ["2011-06", "2014-02", "2017-07", "2018-06"]
    assert (month_only.dt.day == 1).all()


def test_low_never_exceeds_high_and_every_row_has_a_usd_figure(incidents: pd.DataFrame) -> None:
    assert (incidents["loss_usd_low"] <= incidents["loss_usd_high"]).all()
    assert incidents["loss_usd_low"].notna().all()
    assert (incidents["loss_usd_low"] > 0).all()


def test_every_row_has_a_source_url(incidents: pd.DataFrame) -> None:
    for text in incidents["source"]:
        assert all(part.startswith("http") for part in text.split(" ; ")), text


# Figures checked by hand against hacks.csv.
def test_coincheck_2018(incidents: pd.DataFrame) -> None:
    row = _row(incidents, "2018-01-26", "Coincheck")
    assert (row["loss_usd_low"], row["loss_usd_high"]) == (534 * M, 534 * M)  # "~534m"
    assert row["loss_native"] == "~523m XEM (~JPY 58bn)"
    assert row["vector"] == "hot_wallet"
    assert row["outcome"] == "refunded_in_full"
    assert not row["cold_storage_involved"]


def test_dmm_bitcoin_2024(incidents: pd.DataFrame) -> None:
    row = _row(incidents, "2024-05-31", "DMM Bitcoin")
    assert (row["loss_usd_low"], row["loss_usd_high"]) == (305 * M, 308 * M)  # "~305m-308m"
    assert row["loss_native"] == "4,502.9 BTC (JPY 48.2bn)"
    assert row["vector"] == "vendor_or_signing"
    assert row["vendor_involved"]


def test_bybit_2025(incidents: pd.DataFrame) -> None:
    row = _row(incidents, "2025-02-21", "Bybit")
    assert (row["loss_usd_low"], row["loss_usd_high"]) == (1460 * M, 1460 * M)  # "~1.46bn"
    assert row["cold_storage_involved"] and row["vendor_involved"]
    assert row["country"] == "UAE"


def test_ranges_where_sources_disagree(incidents: pd.DataFrame) -> None:
    kucoin = _row(incidents, "2020-09-25", "KuCoin")  # "~281m (reported 275m-285m)"
    assert (kucoin["loss_usd_low"], kucoin["loss_usd_high"]) == (275 * M, 285 * M)
    bitstamp = _row(incidents, "2015-01-04", "Bitstamp")  # "~5.1m"
    assert (bitstamp["loss_usd_low"], bitstamp["loss_usd_high"]) == (5.1 * M, 5.1 * M)
    mtgox = _row(incidents, "2014-02-01", "Mt. Gox")  # "~450m-480m at the time"
    assert (mtgox["loss_usd_low"], mtgox["loss_usd_high"]) == (450 * M, 480 * M)
    assert mtgox["date_precision"] == "month" and mtgox["outcome"] == "bankruptcy"


# ---- schema rules: each writes a small bad CSV ---------------------------------------------

GOOD = {
    "date": "2018-01-26",
    "date_precision": "day",
    "exchange": "Example",
    "country": "Japan",
    "assets": "BTC",
    "loss_usd_low": "1000000",
    "loss_usd_high": "2000000",
    "loss_native": "10 BTC",
    "vector": "hot_wallet",
    "cold_storage_involved": "false",
    "vendor_involved": "true",
    "outcome": "refunded_in_full",
    "outcome_note": "",
    "source": "https://example.org",
    "amount_note": "",
}


def _write(tmp_path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    path = tmp_path / "incidents.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns or list(COLUMNS), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _bad(**changes: str) -> list[dict[str, str]]:
    """A good row, then the same row with ``changes``: problems are reported on row 2."""
    return [GOOD, {**GOOD, **changes}]


def test_small_good_file_loads(tmp_path: Path) -> None:
    frame = load_incidents(_write(tmp_path, [GOOD]))
    assert frame.loc[0, "loss_usd_high"] == 2_000_000.0
    assert bool(frame.loc[0, "vendor_involved"]) is True


def test_missing_column(tmp_path: Path) -> None:
    columns = [c for c in COLUMNS if c != "vector"]
    with pytest.raises(IncidentDataError, match=r"missing \['vector'\], unexpected \[\]"):
        load_incidents(_write(tmp_path, [GOOD], columns))


def test_unexpected_column(tmp_path: Path) -> None:
    columns = [*COLUMNS, "severity"]
    with pytest.raises(IncidentDataError, match=r"missing \[\], unexpected \['severity'\]"):
        load_incidents(_write(tmp_path, [GOOD], columns))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": "2018-13-01"}, r"row 2 \(file line 3\), column 'date': must be an ISO date .*got '2018-13-01'"),
        ({"date": "2018-01"}, r"column 'date': must be an ISO date YYYY-MM-DD.*got '2018-01'"),
        ({"date_precision": "week"}, r"column 'date_precision': must be one of day, month, year \(got 'week'\)"),
        ({"date_precision": "month"}, r"column 'date': must fall on the first day of its month .*got '2018-01-26'"),
        ({"loss_usd_low": "1,000,000"}, r"column 'loss_usd_low': must be a number of US dollars .*got '1,000,000'"),
        ({"loss_usd_high": "$2m"}, r"column 'loss_usd_high': must be a number of US dollars .*got '\$2m'"),
        ({"loss_usd_low": "-5"}, r"column 'loss_usd_low': must be a finite number of US dollars >= 0 \(got '-5'\)"),
        ({"loss_usd_high": "2e6"}, r"column 'loss_usd_high': must be written as plain digits.*got '2e6'"),
        ({"loss_usd_low": "3000000"}, r"row 2.*'loss_usd_low': must be <= loss_usd_high \(2000000\) \(got '3000000'\)"),
        ({"loss_usd_low": ""}, r"column 'loss_usd_high': must be empty exactly when loss_usd_low is"),
        ({"vector": "phishing"}, r"column 'vector': must be one of account_compromise, .*unknown.* \(got 'phishing'\)"),
        ({"outcome": "refunded"}, r"column 'outcome': must be one of bankruptcy, .*unresolved \(got 'refunded'\)"),
        ({"cold_storage_involved": "yes"}, r"column 'cold_storage_involved': must be true or false .*got 'yes'"),
        ({"vendor_involved": "True"}, r"column 'vendor_involved': must be true or false .*got 'True'"),
        ({"exchange": " "}, r"column 'exchange': must not be empty \(got ' '\)"),
    ],
)  # fmt: skip
def test_schema_rule(tmp_path: Path, changes: dict[str, str], message: str) -> None:
    with pytest.raises(IncidentDataError, match=message):
        load_incidents(_write(tmp_path, _bad(**changes)))


def test_empty_usd_pair_is_allowed_and_becomes_nan(tmp_path: Path) -> None:
    frame = load_incidents(_write(tmp_path, _bad(loss_usd_low="", loss_usd_high="")))
    assert math.isnan(frame.loc[1, "loss_usd_low"]) and math.isnan(frame.loc[1, "loss_usd_high"])


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = _write(tmp_path, _bad(vector="phishing", outcome="refunded", date="yesterday"))
    with pytest.raises(IncidentDataError, match=r"3 problem\(s\)") as caught:
        load_incidents(path)
    text = str(caught.value)
    assert "'vector'" in text and "'outcome'" in text and "'date'" in text


# ---- summary ----------------------------------------------------------------------------------


def _tiny() -> pd.DataFrame:
    # mid losses: 15, 100, 2, 40, 7, 1 and one row with no USD figure
    lows = [10, 100, 2, 30, 7, 1, math.nan]
    highs = [20, 100, 2, 50, 7, 1, math.nan]
    return pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2020-01-05", "2019-03-01", "2021-07-01", "2022-02-02", "2018-05-05", "2023-01-01", "2017-01-01"]
            ),
            "exchange": ["A", "B", "C", "D", "E", "F", "G"],
            "loss_usd_low": [x * M for x in lows],
            "loss_usd_high": [x * M for x in highs],
            "vector": ["hot_wallet", "hot_wallet", "insider", "vendor_or_signing", "hot_wallet", "unknown", "unknown"],
            "outcome": ["bankruptcy", "other", "other", "other", "refunded_in_full", "other", "unresolved"],
            "cold_storage_involved": [True, False, False, True, False, False, False],
            "vendor_involved": [False, False, False, True, True, False, False],
        }
    )  # fmt: skip


def test_summarise_tiny_frame_by_hand() -> None:
    summary = summarise_incidents(_tiny())
    assert summary["count"] == 7
    assert summary["count_with_usd"] == 6
    assert (summary["first_date"], summary["last_date"]) == ("2017-01-01", "2023-01-01")
    assert summary["total_mid_usd"] == pytest.approx(165 * M)  # 15 + 100 + 2 + 40 + 7 + 1
    assert summary["median_mid_usd"] == pytest.approx(11 * M)  # sorted 1 2 7 15 40 100 -> (7 + 15) / 2
    assert [big["exchange"] for big in summary["largest"]] == ["B", "D", "A", "E", "C"]
    assert summary["largest"][1] == {"date": "2022-02-02", "exchange": "D", "low": 30 * M, "high": 50 * M}
    assert summary["by_vector"] == {"hot_wallet": 3, "unknown": 2, "insider": 1, "vendor_or_signing": 1}
    assert summary["by_outcome"] == {"other": 4, "bankruptcy": 1, "refunded_in_full": 1, "unresolved": 1}
    assert summary["share_cold_storage"] == pytest.approx(2 / 7)  # A, D
    assert summary["share_vendor"] == pytest.approx(2 / 7)  # D, E
    assert summary["share_cold_or_vendor"] == pytest.approx(3 / 7)  # A, D, E


def test_summarise_empty_frame_is_refused() -> None:
    with pytest.raises(IncidentDataError, match="cannot summarise an empty incident table"):
        summarise_incidents(_tiny().iloc[0:0])


def test_summarise_shipped_table(incidents: pd.DataFrame) -> None:
    summary = summarise_incidents(incidents)
    assert summary["count"] == 37
    assert summary["largest"][0]["exchange"] == "Bybit"
    assert sum(summary["by_vector"].values()) == sum(summary["by_outcome"].values()) == 37


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (1.46e9, "$1.46bn"),
        (305e6, "$305m"),
        (5.1e6, "$5.1m"),
        (72e6, "$72m"),
        (999.6e6, "$1bn"),
        (66_200, "$66.2k"),
        (950, "$950"),
        (math.nan, "n/a"),
    ],
)
def test_format_usd(amount: float, text: str) -> None:
    assert format_usd(amount) == text


def test_format_incident_summary() -> None:
    text = format_incident_summary(summarise_incidents(_tiny()))
    assert text.splitlines()[0] == "7 incidents, 2017-01-01 to 2023-01-01"
    assert "USD figure given for 6 of 7; mid loss total $165m, median $11m" in text
    assert "  2022-02-02  D: $30m-$50m" in text
    assert "  2019-03-01  B: $100m" in text
    assert "  hot_wallet: 3" in text
    assert "Cold storage involved: 29%; vendor involved: 29%; either: 43%" in text
