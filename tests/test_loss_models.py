"""The calibrated loss model in data/loss-models/ matches a re-run of its fit, and its data sources agree."""

from __future__ import annotations

import pytest

from optimizer.risk.calibrate import bootstrap, japan_frequency, mid_losses_usd, poisson_interval
from optimizer.risk.incidents import load_incidents
from optimizer.risk.loss_models import default_fx, load_loss_model, native_losses


def test_file_records_the_fit() -> None:
    model = load_loss_model("exchange-hacks")
    fits = {**bootstrap(mid_losses_usd()), "per_year": japan_frequency()}
    for name, fit in fits.items():
        parameter = model.parameters[name]
        # The file rounds to 4-5 significant figures.
        assert parameter.value == pytest.approx(fit.value, rel=5e-4), name
        assert parameter.interval is not None
        assert parameter.interval[0] == pytest.approx(fit.low, rel=5e-3), name
        assert parameter.interval[1] == pytest.approx(fit.high, rel=5e-3), name


def test_every_parameter_has_a_source_and_status() -> None:
    model = load_loss_model("exchange-hacks")
    for name, parameter in model.parameters.items():
        assert parameter.source and parameter.section, name
        assert parameter.status in ("fitted", "derived", "assumption")
    assert model.parameters["per_year"].status == "assumption"  # the denominator is not in the data
    shares = model.value("share_online") + model.value("share_vendor_or_signing")
    assert shares == pytest.approx(1.0)


def test_garwood_interval_matches_chi_square() -> None:
    # Textbook values for 5 events: 1.6235 to 11.6683 (chi-square quantiles / 2).
    fit = poisson_interval(5, 1.0)
    assert fit.low == pytest.approx(1.6235, abs=1e-4)
    assert fit.high == pytest.approx(11.6683, abs=1e-4)


def test_native_losses_quote_the_incident_table() -> None:
    frame = load_incidents()
    table = {(row.date.date().isoformat(), row.exchange): row.loss_native for row in frame.itertuples()}
    native = native_losses()
    assert native[("2018-01-26", "Coincheck")] == ("JPY", 58e9)
    assert native[("2024-05-31", "DMM Bitcoin")] == ("JPY", 48.2e9)
    for key, (currency, _amount) in native.items():
        assert key in table, key
        assert currency in table[key], key


def test_default_fx_is_the_ratio_it_cites() -> None:
    rates = default_fx().rates
    assert rates["JPY"].value == pytest.approx(48.2e9 / 306.5e6, rel=1e-4)
    assert rates["KRW"].value == pytest.approx(44.5e9 / 33e6, rel=1e-4)
    assert rates["NZD"].value == pytest.approx(24e6 / 16e6)
