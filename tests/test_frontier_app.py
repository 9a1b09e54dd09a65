"""The app's Frontier page (AppTest, no browser): the chart, the current mix, the board-limit slider."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from test_risk_app import (  # noqa: F401  (the fixture and helpers)
    app,
    chart_words,
    load_example,
    oku_off,
    open_page,
    page_words,
    switch_to_japanese,
)

from ui.text import unescape


def test_frontier_page_traces_and_resolves_at_the_board_limit(app: AppTest) -> None:  # noqa: F811
    load_example(app, "jp-midsize-cvar.yaml")
    open_page(app, "frontier")
    app.slider(key="fr_points").set_value(10).run()
    assert not app.error, [e.value for e in app.error]
    assert "Held at every point" in " ".join(c.value for c in app.caption)
    table = app.dataframe[-1].value
    assert len(table) == 10 and set(table["status"]) == {"optimal"}
    labels = [metric.label for metric in app.metric]
    assert "Annual cost" in labels and "Risk reached" in labels
    board = app.slider(key="fr_board_cvar_¥bn")
    assert board.value == 15.0  # the case's own limit, in ¥bn
    board.set_value(13.0).run()
    assert not app.exception
    headings = " ".join(m.value for m in app.markdown)
    assert "At the board limit ¥13.0bn" in headings
    app.button[0].click().run()  # write the limit into the case
    assert not app.exception
    open_page(app, "frontier")
    assert app.slider(key="fr_board_cvar_¥bn").value == 13.0


def test_frontier_page_for_the_expected_loss(app: AppTest) -> None:  # noqa: F811
    load_example(app, "jp-midsize-cvar.yaml")
    open_page(app, "frontier")
    app.slider(key="fr_points").set_value(5).run()
    app.radio(key="fr_measure").set_value("expected").run()
    assert not app.exception and not app.error
    assert "expected uncovered annual loss" in " ".join(c.value for c in app.caption)


FRONTIER_ENGLISH = ("Risk measure", "Points", "Held at every point", "Board limit", "Cheapest annual cost",
                    "Annual cost", "Risk reached", "Marginal cost", "The case as it stands", "At the board limit",
                    "current mix", "board limit", "optimal", "uncovered annual loss", "Every point", "Set risk.")


def test_the_frontier_page_in_japanese_with_money_in_oku(app: AppTest) -> None:  # noqa: F811
    load_example(app, "jp-midsize-cvar.yaml")
    switch_to_japanese(app)
    open_page(app, "frontier")
    app.slider(key="fr_points").set_value(10).run()
    assert not app.exception and not app.error
    assert app.title[0].value == "フロンティア"
    assert app.radio(key="fr_measure").label == "リスク指標"
    assert app.radio(key="fr_measure").options == ["未補償損失の CVaR", "期待未補償損失"]
    about = " ".join(unescape(c.value) for c in app.caption)
    assert "すべての点で満たす条件：必要額、すべての社内方針の制約、および年間期待未補償損失の上限 3.00億円" in about
    board = app.slider(key="fr_board_cvar_億円")
    assert board.label == "取締役会が定める上限：未補償年間損失の 100 年に1度の CVaR（99%）（億円）"
    assert board.value == 150.0  # the case's own limit, ¥15bn, in 億円
    metrics = {m.label for m in app.main.metric}
    assert {"年間コスト", "到達したリスク"} == metrics
    assert all(m.value.endswith("億円") for m in app.main.metric)
    assert "取締役会の上限 150億円 のとき" in " ".join(m.value for m in app.markdown)
    table = app.dataframe[-1].value
    assert list(table.columns) == ["上限", "年間コスト", "到達したリスク", "状態"]
    assert set(table["状態"]) == {"最適"} and all(cell.endswith("億円") for cell in table["上限"])
    assert all(cell.endswith("円") and "¥" not in cell for cell in table["年間コスト"])
    charts = chart_words(app)
    assert "リスク上限ごとの最小年間コスト" in charts and "年間コスト（億円）" in charts
    assert "現在の組み合わせ" in charts
    words = page_words(app)
    assert not [english for english in FRONTIER_ENGLISH if english in words], [
        e for e in FRONTIER_ENGLISH if e in words
    ]
    # The button writes the board's limit into the case, in the case's field.
    button = next(b for b in app.main.button if b.key == "fr_set_limit")
    assert unescape(button.label) == "ケースの `risk.max_cvar` を 15,000,000,000円 に設定"
    # Off the 億円 style: the slider moves in ¥bn again.
    # A moved slider is not re-read in the new unit (130 in 億円 is ¥13bn, not ¥130bn).
    app.slider(key="fr_board_cvar_億円").set_value(130.0).run()
    assert "取締役会の上限 130億円 のとき" in " ".join(m.value for m in app.markdown)
    oku_off(app)
    assert app.slider(key="fr_board_cvar_¥bn").value == 15.0
    assert not app.exception and not app.error
    assert "年間コスト（¥bn）" in chart_words(app) or "年間コスト（¥m）" in chart_words(app)
