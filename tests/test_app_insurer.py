"""The Insurer page (issue #11, item 6), through Streamlit's AppTest."""

from __future__ import annotations

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
    assert "bought at prices up to **3.5%** (now 6%)" in text
    assert "confirmed by re-solving" in text


def test_a_market_sweep_with_its_table_and_download(app):
    app.number_input(key="insurer_low").set_value(0.01)
    app.number_input(key="insurer_high").set_value(0.05)
    app.number_input(key="insurer_step").set_value(0.01)
    app.button(key="insurer_run").click().run()
    assert not app.exception, app.exception[0].message if app.exception else ""
    table = app.dataframe[-1].value
    assert list(table["price"]) == [0.01, 0.02, 0.03, 0.04, 0.05]
    assert (table["buyers"].diff().dropna() <= 0).all()  # demand never rises with price
    text = " ".join(item.value for item in app.markdown)
    assert "Technical rate on line" in text and "best price of the grid" in text


def test_a_grid_too_long_for_the_app_is_refused_with_the_limit(app):
    app.number_input(key="insurer_low").set_value(0.0)
    app.number_input(key="insurer_high").set_value(0.5)
    app.number_input(key="insurer_step").set_value(0.001)
    app.button(key="insurer_run").click().run()
    assert not app.exception
    assert "the app tries at most 80" in app.error[0].value
