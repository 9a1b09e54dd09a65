"""The app's Risk page and the Optimise page's risk line (AppTest, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("RESERVE_OPT_DB", str(tmp_path / "workspace.sqlite"))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def load_example(app: AppTest, name: str) -> None:
    app.selectbox(key="example_choice").set_value(name)
    app.button(key="load_example").click().run()
    assert not app.exception


def open_page(app: AppTest, name: str) -> AppTest:
    app.switch_page(f"app_pages/{name}.py").run()
    assert not app.exception, app.exception[0].message if app.exception else ""
    return app


def test_risk_page_shows_curves_recoveries_and_stress(app: AppTest) -> None:
    load_example(app, "jp-midsize-risk.yaml")
    open_page(app, "risk")
    labels = [metric.label for metric in app.metric]
    assert {"Expected annual loss", "Expected uncovered", "P(any uncovered loss)"} <= set(labels)
    assert "CVaR 99% uncovered" in labels
    frames = [frame.value for frame in app.dataframe]
    stress = next(frame for frame in frames if "exchange" in frame.columns)
    assert {"Coincheck", "DMM Bitcoin"} <= set(stress["exchange"])
    assert "¥58,000,000,000" in set(stress["loss"])
    periods = next(frame for frame in frames if "1 in … years" in frame.columns)
    assert list(periods["1 in … years"]) == [2, 5, 10, 25, 50, 100, 200, 250, 500, 1000]
    assert len(app.get("vega_lite_chart")) >= 2  # exceedance curve and recovery bars
    assert any("Limit" in box.value for box in [*app.success, *app.warning])


def test_optimise_page_states_the_1_in_200_uncovered_loss(app: AppTest) -> None:
    load_example(app, "jp-midsize-risk.yaml")
    open_page(app, "optimise")
    assert any("1-in-200-year uncovered loss: ¥" in text.value for text in app.markdown)


def test_a_case_without_scenarios_uses_the_default_model(app: AppTest) -> None:
    open_page(app, "risk")
    assert any("calibrated default loss model" in box.value for box in app.info)
    assert [m.label for m in app.metric][:1] == ["Expected annual loss"]
    open_page(app, "optimise")
    assert not any("1-in-200-year" in text.value for text in app.markdown)
