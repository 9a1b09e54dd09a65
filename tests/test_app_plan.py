"""The app's Plan page through AppTest: the path, its chart, the sliders, an infeasible plan and its fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import errors
from streamlit.testing.v1 import AppTest

from optimizer import load_case
from optimizer.workbench.plan_variants import default_plan, linear_phase_in, plan_variant
from ui.text import unescape

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("RESERVE_OPT_DB", str(tmp_path / "workspace.sqlite"))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def _open_plan(app, example=None):
    if example is not None:
        app.selectbox(key="example_choice").set_value(example)
        app.button(key="load_example").click().run()
    app.switch_page("app_pages/plan.py").run()
    assert not app.exception, app.exception[0].message if app.exception else ""
    return app


def _metrics(app):
    return {metric.label: metric.value for metric in app.metric}


def test_a_case_without_a_plan_offers_one_and_solves_it(app):
    _open_plan(app)
    assert "has no `plan:` section" in app.info[0].value
    app.button(key="plan_add").click().run()
    assert not app.exception
    # jp-midsize: R = ¥10bn phased in 25/50/75/100% with ¥2.5bn a year of capacity.
    assert _metrics(app)["Cash held in year 4"] == "¥2.0bn"
    assert len(app.get("vega_lite_chart")) == 1


def test_the_example_plan_shows_the_path_and_the_chart(app):
    _open_plan(app, "jp-midsize-plan.yaml")
    assert _metrics(app)["Discounted cost of the plan"] == "¥886m"
    assert len(app.get("vega_lite_chart")) == 1
    frame = app.dataframe[0].value
    assert list(frame["year"]) == [1, 2, 3, 4]
    assert list(frame["requirement"]) == ["¥2,000,000,000", "¥4,190,000,000", "¥6,584,250,000", "¥9,197,950,000"]
    assert any("verified without the LP: yes" in caption.value for caption in app.main.caption)


def test_lowering_the_capacity_diagnoses_the_plan_and_the_fix_applies(app):
    _open_plan(app, "jp-midsize-plan.yaml")
    app.slider(key="plan_capacity_1").set_value(1.0).run()
    assert "No path over the years" in errors(app)
    assert "in year 4 the most cash you can have is ¥4.0bn" in errors(app)
    assert "Raise plan.max_set_aside from ¥1,000,000,000 to ¥1,150,000,000" in unescape(app.info[0].value)
    app.button(key="plan_apply_fix").click().run()
    assert not app.exception
    assert not app.error
    assert _metrics(app)["Discounted cost of the plan"] == "¥900m"


def test_a_steeper_phase_in_costs_more(app):
    _open_plan(app, "jp-midsize-plan.yaml")
    app.slider(key="plan_capacity_1").set_value(4.0).run()  # room for a steeper phase-in
    gentle = _metrics(app)["Discounted cost of the plan"]
    app.slider(key="plan_phase_1").set_value(75).run()
    assert not app.exception and not app.error
    steep = _metrics(app)["Discounted cost of the plan"]
    # 25% -> 75% of R in year 1 (rising evenly to 100%): cash and cover are bought earlier.
    assert (gentle, steep) == ("¥886m", "¥1.2bn")


def test_plan_levers_edit_the_raw_case():
    assert linear_phase_in(0.25, 4) == [0.25, 0.5, 0.75, 1.0]
    assert linear_phase_in(0.4, 1) == [1.0]
    case = load_case(ROOT / "data" / "examples" / "jp-midsize.yaml")
    plan = default_plan(case)
    assert plan["max_set_aside"] == 2_500_000_000 and plan["requirement_fractions"] == [0.25, 0.5, 0.75, 1.0]
    data = {"plan": {"years": 3, "max_set_aside": [1, 2, 3]}}
    changed = plan_variant(data, capacity=5.0, first_fraction=0.1)
    assert changed["plan"] == {"years": 3, "max_set_aside": 5.0, "requirement_fractions": [0.1, 0.55, 1.0]}
    assert data["plan"]["max_set_aside"] == [1, 2, 3]  # a copy, the draft untouched
    assert plan_variant(data) == data
