"""The app's Plan page through AppTest: the path, its chart, the sliders, an infeasible plan and its fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import by_label, errors, no_traceback
from page_words import chart_strings, english_leftovers, shown_text
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


def capacity_slider(app):
    return next(slider for slider in app.slider if slider.key.startswith("plan_capacity_"))


def _metrics(app):
    return {metric.label: metric.value for metric in app.main.metric}


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
    capacity_slider(app).set_value(1.0).run()
    assert "No path over the years" in errors(app)
    assert "in year 4 the most cash you can have is ¥4.0bn" in errors(app)
    assert "Raise plan.max_set_aside from ¥1,000,000,000 to ¥1,150,000,000" in unescape(app.info[0].value)
    app.button(key="plan_apply_fix").click().run()
    assert not app.exception
    assert not app.error
    assert _metrics(app)["Discounted cost of the plan"] == "¥900m"


def test_a_steeper_phase_in_costs_more(app):
    _open_plan(app, "jp-midsize-plan.yaml")
    capacity_slider(app).set_value(4.0).run()  # room for a steeper phase-in
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


def switch_to_japanese(app):
    app.sidebar.get("button_group")[0].set_value("ja").run()
    no_traceback(app)
    return app


def oku_off(app):
    next(toggle for toggle in app.sidebar.toggle if toggle.key.startswith("oku_toggle")).set_value(False).run()
    no_traceback(app)


def test_the_plan_page_in_japanese_with_money_in_oku(app):
    _open_plan(app, "jp-midsize-plan.yaml")
    assert english_leftovers(app, "plan")  # the scan finds the English page's words
    switch_to_japanese(app)
    assert app.title[0].value == "計画"
    assert app.main.subheader[0].value == "レバー"
    assert _metrics(app) == {
        "計画の割引後コスト": "8.86億円", "割引前コスト": "9.41億円", "4年目の保有現金": "46.0億円"
    }
    frame = app.dataframe[0].value
    assert list(frame.columns) == ["年度", "R に対する割合", "必要額", "保有現金", "積立額", "積立上限", "年間コスト",
                                   "割引後コスト"]  # no column of cash released: this plan never releases any
    assert frame["必要額"].tolist()[:2] == ["2,000,000,000円", "4,190,000,000円"]
    assert frame["R に対する割合"].tolist() == ["25%", "50%", "75%", "100%"]
    assert capacity_slider(app).label == "年間の積立上限（億円）" and capacity_slider(app).value == 20.0
    charts = chart_strings(app)
    words_on_chart = (
        "年度ごとの組み合わせ", "計画年度", "保有・購入額（億円）", "現金残高（億円）", "1年目", "4年目", "商品"
    )
    for words in words_on_chart:
        assert words in charts, words
    text = shown_text(app)
    binds = next(item.value for item in app.main.markdown if "**1年目**" in item.value)
    assert binds.startswith("- **1年目**：") and "\n- **4年目**：" in binds
    assert "（20.0億円 から 92.0億円）" in text
    assert english_leftovers(app, "plan") == []
    # Still Japanese, yen in the western style: every amount and the chart's unit follow.
    oku_off(app)
    assert _metrics(app)["計画の割引後コスト"] == "¥886m"
    assert app.dataframe[0].value["必要額"].tolist()[0] == "¥2,000,000,000"
    assert "保有・購入額（¥bn）" in chart_strings(app)
    # The capacity slider reads its number in the new unit, not the old one (¥2.0bn, not 2億円).
    assert capacity_slider(app).label == "年間の積立上限（¥bn）" and capacity_slider(app).value == 2.0
    assert not app.error


def test_an_infeasible_plan_and_its_fix_in_japanese(app):
    _open_plan(app, "jp-midsize-plan.yaml")
    switch_to_japanese(app)
    capacity_slider(app).set_value(10.0).run()  # 10億円 a year
    assert unescape(app.error[0].value).startswith("**すべての年度の必要額を満たす経路はありません。**")
    change, then = unescape(app.info[0].value).split("：", 1)
    assert change == "Raise plan.max_set_aside from ¥1,000,000,000 to ¥1,150,000,000 a year"  # the optimizer's words
    assert then == "その場合の計画コストは 899,835,708円（割引後）です。"
    assert by_label(app.button, "この積立上限をケースに適用")
    diagnosis = unescape(app.error[0].value).split("\n\n", 1)[1]
    assert english_leftovers(app, "plan", ignore=[diagnosis, change]) == []


def test_a_case_without_a_plan_in_japanese(app):
    _open_plan(app)
    switch_to_japanese(app)
    assert "`plan:` セクションがない" in app.info[0].value
    app.button(key="plan_add").click().run()
    no_traceback(app)
    assert _metrics(app)["4年目の保有現金"] == "20.0億円"
    assert "（計画を追加）" in unescape(app.main.caption[1].value)  # the case's source, in Japanese


HOSTILE = (
    b"name: '[click me](https://evil.example) ![x](https://evil.example/x.png) **bold** :smile: <b>h</b>'\n"
    b"currency: JPY\n"
    b"requirement: {amount: 1_000_000_000}\n"
    b"instruments:\n"
    b"  - {id: '[cash](https://evil.example)', kind: cash, cost_rate: 0.05}\n"
    b"  - {id: '[layer](https://evil.example)', kind: insurance, counterparty: '**[Re](https://evil.example)**',\n"
    b"     attachment: 0, limit: 500_000_000, premium_rate: 0.02}\n"
    b"plan: {years: 2, max_set_aside: 600_000_000}\n"
)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_hostile_names_render_as_text_on_the_insurer_and_plan_pages(app, language):
    if language == "ja":
        switch_to_japanese(app)
    app.file_uploader[0].set_value(("[evil](https://evil.example).yaml", HOSTILE, "application/x-yaml")).run()
    no_traceback(app)
    for page in ("insurer", "plan"):
        _open_page(app, page)
        assert not app.error, app.error[0].value
        shown = [element.value for element in (*app.main.markdown, *app.main.caption, *app.main.info,
                                                 *app.main.warning)]
        assert any("\\[click me\\]\\(https\\:" in text for text in shown), page  # the name, escaped
        for text in shown:
            assert "](https://evil" not in text, (page, text)
    _open_page(app, "insurer")
    layer = "[layer](https://evil.example)"
    assert app.selectbox(key="insurer_layer").value == layer  # a menu option is plain text
    sentence = next(item.value for item in app.main.markdown if "layer" in item.value)
    assert unescape(sentence).startswith(layer)


def _open_page(app, name):
    app.switch_page(f"app_pages/{name}.py").run()
    no_traceback(app)
