"""Bad scenario inputs get exit 2 and a message naming the field, the value and the fix (issue #9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimizer.cli import main

BASE = """
name: t
currency: JPY
requirement: {amount: 1_000_000_000}
exchange: {client_crypto_hot: 40_000_000_000, client_crypto_cold: 760_000_000_000}
instruments:
  - {id: cash, kind: cash, cost_rate: 0.05}
  - {id: xl, kind: insurance, counterparty: Insurer A, attachment: 100_000_000, limit: 900_000_000, premium_rate: 0.05}
"""


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], scenarios: str, *extra: str) -> tuple[int, str]:
    (tmp_path / "case.yaml").write_text(BASE + scenarios)
    code = main(["risk", str(tmp_path / "case.yaml"), "--mix", str(tmp_path / "mix.json"), *extra])
    return code, capsys.readouterr().err


@pytest.fixture(autouse=True)
def mix(tmp_path: Path) -> None:
    (tmp_path / "mix.json").write_text(json.dumps({"cash": 1e9}))


@pytest.mark.parametrize(
    "scenarios,field,value,fix",
    [
        ("scenarios: {frequency: {per_year: -0.5}}", "scenarios.frequency.per_year", "-0.5", "Poisson mean"),
        (
            "scenarios: {severity: {distribution: lognormal, median: 1e9, sigma: 0}}",
            "scenarios.severity.sigma", "0", "typical: sigma",
        ),
        (
            "scenarios: {severity: {distribution: lognormal, median: 1e9, sigma: -1.5}}",
            "scenarios.severity.sigma", "-1.5", "above zero",
        ),
        (
            "scenarios: {severity: {distribution: pareto, minimum: 1e9, alpha: 0}}",
            "scenarios.severity.alpha", "0", "alpha 0.5 to 2",
        ),
        (
            "scenarios: {severity: {distribution: pareto, minimum: 1e9}}",
            "scenarios.severity.alpha", "nothing", "add alpha",
        ),
        ("scenarios: {years: 0}", "scenarios.years", "0", "1 or more"),
        ("scenarios: {years: 10_000_001}", "scenarios.years", "10,000,001", "at most 10,000,000"),
        (
            "scenarios: {default_probability: {Insurer Z: 0.1}}",
            "default_probability.Insurer Z", "Insurer Z", "known: Insurer A",
        ),
        ("scenarios: {default_probability: {Insurer A: 1.5}}", "default_probability.Insurer A", "1.5", "1.5%"),
        (
            "scenarios: {vectors: [{name: hot, share: 0.5, exposes: [client_crypto_hot]}]}",
            "scenarios.vectors", "0.5", "add up to 1",
        ),
        ("scenarios: {events: e.csv, years: 5, frequency: {per_year: 1}}", "scenarios.frequency", "events", "remove"),
        ("scenarios: {events: e.csv}", "scenarios.years", "nothing", "number of years"),
        ("risk: {level: 0.99}", "risk", "no scenarios", "add `scenarios:"),
        ("scenarios: {}\nrisk: {level: 1}", "risk.level", "1", "0.995"),
    ],
)  # fmt: skip
def test_bad_scenarios_exit_2_with_field_value_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scenarios: str, field: str, value: str, fix: str
) -> None:
    code, err = run(tmp_path, capsys, scenarios)
    assert code == 2
    line = next((text for text in err.splitlines() if field in text), "")
    assert value in line and fix in line, err
    assert "Traceback" not in err


EVENTS_CASE = "scenarios: {events: events.csv, years: 10}"


@pytest.mark.parametrize(
    "content,value,fix",
    [
        (None, "no file at", "fix the path"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not text", "save it as CSV"),
        (b"year;loss\n1;5\n", "year;loss", "add the header year,loss"),
        (b"year,loss\n1,5\n11,3\n0,2\n", "11, 0", "raise scenarios.years"),
        (b"year,loss\n1,5\n2.5,3\n", "2.5", "whole number"),
        (b"year,loss\n1,-5\n2,abc\n", "-5, empty or not a number", "zero or more"),
    ],
)
def test_bad_events_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, value: str, fix: str
) -> None:
    if content is not None:
        (tmp_path / "events.csv").write_bytes(content)
    code, err = run(tmp_path, capsys, EVENTS_CASE)
    assert code == 2
    assert "scenarios.events" in err and value in err and fix in err, err


def test_events_file_over_200_mb_is_refused_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (tmp_path / "events.csv").open("wb") as handle:
        handle.truncate(201 * 1024 * 1024)  # sparse: takes no disk space
    code, err = run(tmp_path, capsys, EVENTS_CASE)
    assert code == 2
    assert "scenarios.events must be at most 200 MB" in err and "201 MB" in err


def test_years_flag_out_of_bounds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "case.yaml").write_text(BASE)
    assert main(["risk", str(tmp_path / "case.yaml"), "--years", "20000000"]) == 2
    assert "--years: must be from 1 to 10,000,000 years (got 20,000,000)" in capsys.readouterr().err
    assert main(["risk", str(tmp_path / "case.yaml"), "--years", "0"]) == 2
    assert "from 1 to 10,000,000 years (got 0)" in capsys.readouterr().err


def test_bad_mix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mix.json").write_text(json.dumps({"cash": -1, "xl": 2e9, "nope": 1}))
    code, err = run(tmp_path, capsys, "scenarios: {years: 1000}")
    assert code == 2
    assert "mix.cash must be an amount of money of zero or more (got -1)" in err
    assert "mix.xl must be at most 900,000,000" in err
    assert "mix.nope is not an instrument of the case" in err


def test_currency_without_usd_rate_needs_fx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "case.yaml").write_text(BASE.replace("currency: JPY", "currency: EUR") + "scenarios: {years: 100}\n")
    code = main(["risk", str(tmp_path / "case.yaml"), "--mix", str(tmp_path / "mix.json")])
    err = capsys.readouterr().err
    assert code == 2
    assert "fx needs a rate for USD" in err and "fx: {USD: <EUR per 1 USD>}" in err
