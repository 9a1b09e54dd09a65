"""English and Japanese: the catalogues agree, every key the code uses exists, the app switches."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from apptest_helpers import by_label, no_traceback, open_page
from streamlit.testing.v1 import AppTest

from optimizer.case.money import oku_money
from optimizer.workbench.i18n import LANGUAGES, catalogue, text

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py")),
           *sorted((ROOT / "optimizer").rglob("*.py"))]


def placeholders(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_language_has_the_same_keys_and_placeholders():
    english = catalogue("en")
    for language in LANGUAGES:
        other = catalogue(language)
        assert set(other) == set(english), set(other) ^ set(english)
        for key, template in english.items():
            assert placeholders(other[key]) == placeholders(template), (language, key)


def test_every_key_the_code_uses_exists():
    english = catalogue("en")
    used, prefixes = set(), set()
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*"([a-z_]+\.[a-z_.]+)\"""", source))
        used |= {key for key in re.findall(r"""\btext\(\s*\w+,\s*"([a-z_]+\.[a-z_.]+)\"""", source)}
        prefixes |= set(re.findall(r"""\bt\(\s*f"([a-z_]+\.[a-z_]*)\{""", source))
    assert used, "no t(...) calls found: the scan is broken"
    assert used <= set(english), used - set(english)
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in english), prefix


def test_a_missing_key_is_an_error_not_a_blank():
    with pytest.raises(KeyError, match="no message 'nav.nowhere'"):
        text("ja", "nav.nowhere")
    assert text("ja", "nav.case") == "ケース"


def test_japanese_money_units():
    assert oku_money(274e6) == "2.74億円"
    assert oku_money(10e9) == "100億円"
    assert oku_money(4e12) == "4.00兆円"
    assert oku_money(35e6) == "3,500万円"


def switch_to_japanese(app):
    app.sidebar.get("button_group")[0].set_value("ja").run()
    no_traceback(app)
    return app


def test_the_language_switch_changes_every_page(app):
    switch_to_japanese(app)
    assert app.title[0].value == "ケース"
    assert by_label(app.sidebar.metric, "規制を満たす最安の組み合わせ").value == "年 2.74億円"
    titles = {"market": "市場", "optimise": "最適化", "what_if": "感応度分析", "export": "出力"}
    for page, title in titles.items():
        open_page(app, page)
        assert app.title[0].value == title
    open_page(app, "optimise")
    assert by_label(app.metric, "最適な年間コスト").value == "2.74億円"
    # The 億円 style can be turned off while staying in Japanese.
    next(toggle for toggle in app.sidebar.toggle if toggle.key.startswith("oku_toggle")).set_value(False).run()
    assert by_label(app.metric, "最適な年間コスト").value == "¥274m"


def test_a_reload_keeps_the_language(app):
    switch_to_japanese(app)
    again = AppTest.from_file(app._script_path, default_timeout=60)
    again.query_params.update(app.query_params)
    again.run()
    assert again.title[0].value == "ケース"
