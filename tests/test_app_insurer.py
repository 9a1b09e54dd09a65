"""The Insurer page (issue #11, item 6), through Streamlit's AppTest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from apptest_helpers import by_label, no_traceback
from page_words import chart_strings, english_leftovers
from streamlit.testing.v1 import AppTest

from ui.text import unescape

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


def switch_to_japanese(app):
    app.sidebar.get("button_group")[0].set_value("ja").run()
    no_traceback(app)
    return app


def test_the_insurer_page_in_japanese_with_money_in_oku(app):
    price_market(app, 1.0, 5.0, 1.0)
    assert english_leftovers(app, "insurer")  # the scan finds the English page's words
    switch_to_japanese(app)
    assert app.title[0].value == "保険会社"
    assert [item.value for item in app.main.subheader] == [
        "この取引所：1つの商品の需要曲線", "市場：価格ごとの需要・保険料収入・期待損失・利益"
    ]
    # The demand curve of this exchange: words, prices and money in Japanese.
    app.selectbox(key="insurer_layer").set_value("xl-1-primary").run()
    sentence = unescape(next(item.value for item in app.main.markdown if "までの価格で購入されます" in item.value))
    assert sentence.startswith("xl-1-primary は **年 3.5%** までの価格で購入されます（現在 年 6%）。")
    breakpoints = app.dataframe[0].value
    assert list(breakpoints.columns) == ["価格", "直前の価格での購入額", "直後の価格での購入額", "再計算で確認"]
    assert breakpoints.iloc[0].tolist() == ["年 3.5%", "1,000,000,000円", "0円", "はい"]
    # The market sweep (kept from before the switch): metrics, table, charts.
    metrics = {metric.label: metric.value for metric in app.main.metric}
    assert set(metrics) == {"テクニカル料率 ROL", "試算した中で最も利益の出る料率", "その料率での年間期待利益",
                            "その料率で購入する取引所"}
    assert metrics["その料率での年間期待利益"].endswith("億円")
    sweep = app.dataframe[-1].value
    assert list(sweep.columns) == ["保険料率 ROL", "購入取引所数", "購入された限度額", "保険料収入", "期待損失",
                                   "期待損害率", "期待利益", "引受能力内"]
    assert sweep["購入された限度額"].tolist()[0] == "198億円"
    charts = chart_strings(app)
    words_on_charts = (
        "保険料率 ROL（支払限度額に対する年 %）", "購入額（億円）",
        "xl-1-primary の需要曲線：この取引所が各価格で購入する額",
        "市場全体で購入される支払限度額", "年間の保険料収入・期待損失・期待利益", "金額（億円）", "年間期待損失",
    )
    for words in words_on_charts:
        assert words in charts, words
    assert by_label(app.main.number_input, "最低の保険料率 ROL (%)").value == 1.0
    assert app.get("download_button")[0].proto.label == "試算結果をダウンロード（CSV）"
    assert english_leftovers(app, "insurer") == []
    # Still Japanese, yen in the western style: the table and the axes follow.
    next(toggle for toggle in app.sidebar.toggle if toggle.key.startswith("oku_toggle")).set_value(False).run()
    assert app.dataframe[-1].value["購入された限度額"].tolist()[0] == "¥19.8bn"
    assert "金額（¥bn）" in chart_strings(app)


def test_a_refused_grid_in_japanese(app):
    switch_to_japanese(app)
    price_market(app, 0.0, 50.0, 0.1)
    assert app.error[0].value.startswith("価格が 501 点あります。アプリで試せるのは最大 80 点です。")
