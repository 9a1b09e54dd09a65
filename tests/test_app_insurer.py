"""The Insurer page (issue #11, item 6), through Streamlit's AppTest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("RESERVE_OPT_DB", str(tmp_path / "workspace.sqlite"))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.switch_page("app_pages/insurer.py").run()
    assert not app.exception, app.exception[0].message if app.exception else ""
    return app


def test_the_demand_curve_of_a_layer_of_the_case(app):
    # The default example is jp-midsize.yaml: xl-1-primary (6% now) enters at 3.5%.
    app.selectbox(key="insurer_layer").set_value("xl-1-primary").run()
    assert not app.exception
    text = " ".join(item.value for item in app.markdown)
    assert "bought at prices up to **3.5% a year** (now 6% a year)" in text
    assert "confirmed by re-solving" in text
    table = app.dataframe[0].value
    assert list(table.columns) == ["price", "bought just below", "bought just above", "confirmed by re-solving"]
    assert table.iloc[0].tolist() == ["3.5% a year", "¥1,000,000,000", "¥0", "yes"]


def price_market(app, low, high, step):
    """Rates on line typed in percent, as the page asks for them."""
    app.number_input(key="insurer_low").set_value(low)
    app.number_input(key="insurer_high").set_value(high)
    app.number_input(key="insurer_step").set_value(step)
    app.button(key="insurer_run").click().run()
    assert not app.exception, app.exception[0].message if app.exception else ""
    return app


def test_a_market_sweep_with_its_table_and_download(app):
    price_market(app, 1.0, 5.0, 1.0)
    table = app.dataframe[-1].value
    assert list(table["rate on line"]) == ["1%", "2%", "3%", "4%", "5%"]
    assert (table["buyers"].diff().dropna() <= 0).all()  # demand never rises with price
    assert table["premium income"].str.fullmatch(r"¥\d+(\.\d+)?(bn|m|k)").all()  # short money: seven columns
    assert "not priced" not in table.columns  # every exchange was priced
    assert table["expected loss ratio"].str.match(r"^\d+\.\d\d%$|^—$").all()  # shares with two decimals
    metrics = {metric.label: metric.value for metric in app.metric}
    assert re.fullmatch(r"\d+(\.\d+)?%", metrics["Technical rate on line"])
    assert metrics["Most profitable rate of the grid"] in table["rate on line"].tolist()
    assert re.fullmatch(r"\d+ / 28", metrics["Exchanges buying there"])
    # The download keeps the columns and numbers of `reserve-opt price --csv`.
    download = app.get("download_button")[0]
    assert download.proto.label == "Download the sweep (CSV)"


def test_a_grid_too_long_for_the_app_is_refused_with_the_limit(app):
    price_market(app, 0.0, 50.0, 0.1)
    assert "501 prices: the app tries at most 80" in app.error[0].value


def test_a_reversed_or_empty_grid_is_refused_in_words(app):
    price_market(app, 5.0, 1.0, 1.0)
    assert app.error[0].value == "The highest rate on line (1%) is below the lowest (5%)."
    price_market(app, 1.0, 5.0, 0.0)
    assert app.error[0].value == "The step must be above 0%."
