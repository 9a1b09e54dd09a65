"""Issue #12 (the app for daily use) and #8 item 10 (user text is escaped), through AppTest."""

import re

import pytest
from apptest_helpers import (
    by_label,
    captions,
    errors,
    load_example,
    metric,
    new_session,
    no_traceback,
    open_page,
    save_scenario,
    sidebar_cost,
    warnings,
)
from streamlit.testing.v1 import AppTest

from optimizer.workbench.drafts import DraftStore
from optimizer.workbench.workspace import Workspace
from ui.format import delta, rate_format, rate_step
from ui.text import unescape

# --- 1. a saving is a negative, green delta ---------------------------------------------------


def choose_premium_target(app, label):
    menu = by_label(app.selectbox, "Scale the premiums of")
    menu.select_index(menu.options.index(label)).run()


def test_a_saving_is_a_negative_delta_coloured_as_good(app):
    open_page(app, "what_if")
    choose_premium_target(app, "all insurance")
    by_label(app.slider, "Premium scale for all insurance").set_value(0.5).run()
    no_traceback(app)
    cost = by_label(app.metric, "Optimal annual cost")
    assert cost.delta.startswith("-¥") and cost.delta.endswith("vs the case")
    assert "−" not in cost.delta  # no Unicode minus: Streamlit reads the sign from "-"
    assert cost.proto.color == cost.proto.GREEN
    by_label(app.slider, "Premium scale for all insurance").set_value(2.0).run()
    assert by_label(app.metric, "Optimal annual cost").delta.startswith("+¥")


def test_delta_strings_carry_an_ascii_sign():
    assert delta(-31.2e6, "JPY") == "-¥31.2m"
    assert delta(12e6, "JPY") == "+¥12.0m"


# --- 2. the work survives a reload -------------------------------------------------------------


def reload(app):
    """A new session opened on the URL the first one left in the address bar."""
    again = AppTest.from_file(app._script_path, default_timeout=60)
    again.query_params.update(app.query_params)
    return again.run()


def test_a_reload_brings_back_the_case_the_levers_and_the_page(app):
    key = app.query_params["s"]
    assert len(key) >= 16  # a random key, kept in the URL
    by_label(app.number_input, "Requirement R").set_value(12e9).run()
    cost = sidebar_cost(app)
    open_page(app, "what_if")
    choose_premium_target(app, "all insurance")
    by_label(app.slider, "Premium scale for all insurance").set_value(0.5).run()
    assert app.query_params["s"] == key  # the page switch kept the key
    again = reload(app)
    no_traceback(again)
    assert again.title[0].value == "What-if"  # the page it was left on
    assert sidebar_cost(again) == cost
    assert metric(again, "Requirement R") == "¥12.0bn"
    assert by_label(again.metric, "Optimal annual cost").delta.startswith("-")  # the lever too
    # A fresh session without the key starts on the example, and gets a key of its own.
    fresh = new_session()
    assert sidebar_cost(fresh) == "¥274m a year" and fresh.query_params["s"] != key


def test_start_over_goes_back_to_the_example_and_a_reload_keeps_that(app):
    by_label(app.number_input, "Requirement R").set_value(12e9).run()
    app.sidebar.button(key="start_over").click().run()
    no_traceback(app)
    assert sidebar_cost(app) == "¥274m a year"
    assert by_label(app.number_input, "Requirement R").value == 10e9
    assert sidebar_cost(reload(app)) == "¥274m a year"


def test_a_malformed_or_unknown_key_starts_afresh(db):
    for key in ("../../etc", "x" * 500, "nosuchkey12345"):
        app = new_session_with_key(key)
        no_traceback(app)
        assert sidebar_cost(app) == "¥274m a year"
        assert app.query_params["s"] != key


def new_session_with_key(key):
    from apptest_helpers import ROOT

    session = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    session.query_params["s"] = key
    return session.run()


def test_drafts_are_stored_per_key(tmp_path):
    store = DraftStore(Workspace(str(tmp_path / "w.sqlite")).engine)
    store.save("abcdefgh", {"case": {"name": "A"}}, "A", "market")
    store.save("abcdefgh", {"case": {"name": "B"}}, "B", "what_if")
    store.save("ijklmnop", {"case": {"name": "C"}}, "C", "")
    draft = store.load("abcdefgh")
    assert draft is not None and draft.state == {"case": {"name": "B"}} and draft.page == "what_if"
    assert store.load("../x") is None
    assert {item.case_name for item in store.recent()} == {"B", "C"}


# --- 3. small rates show as they are and step in proportion --------------------------------------


def test_rate_inputs_fit_their_size():
    assert (rate_format(0.05), rate_step(0.05)) == ("%.2f", 0.01)
    assert (rate_format(20.0), rate_step(20.0)) == ("%.1f", 1.0)
    assert (rate_format(3.5), rate_step(3.5)) == ("%.1f", 1.0)
    assert rate_step(1.0) == 0.1 and rate_format(1.0) == "%.1f"
    assert rate_format(None) == "%.1f" and rate_step(None) == 1.0


def test_a_small_regime_assumption_shows_as_itself_and_steps_in_proportion(app):
    load_example(app, "jp-midsize-regime.yaml")
    rate = by_label(app.number_input, "volume_rate (%)")
    assert rate.value == 0.05
    assert rate.proto.format == "%.2f" and rate.step == 0.01
    requirement = metric(app, "Requirement R")
    rate.increment().run()  # the + button
    no_traceback(app)
    assert by_label(app.number_input, "volume_rate (%)").value == pytest.approx(0.06)
    assert "volume_rate = 0.06%" in " ".join(captions(app))
    assert metric(app, "Requirement R") == requirement == "¥8.0bn"  # the custody term still sets R; not the cap


# --- #8 item 10: user text is shown as typed, never as Markdown ----------------------------------

HOSTILE = (
    b"name: '[click me](https://evil.example) ![x](https://evil.example/x.png) **bold** :smile: <b>h</b>'\n"
    b"currency: JPY\n"
    b"requirement: {amount: 1_000_000_000}\n"
    b"instruments:\n"
    b"  - {id: '[cash](https://evil.example)', kind: cash, cost_rate: 0.05}\n"
)


def test_hostile_names_render_as_text(app):
    app.file_uploader[0].set_value(("[evil](https://evil.example).yaml", HOSTILE, "application/x-yaml")).run()
    no_traceback(app)
    shown = app.sidebar.caption[0].value
    assert "](https" not in shown.replace("\\]\\(", "")  # no link survives unescaped
    assert "\\[click me\\]\\(https\\:" in shown
    assert unescape(shown).startswith("**[click me](https://evil.example) ![x](https://evil.example/x.png)")
    for page in ("market", "optimise", "risk", "frontier", "what_if", "insurer", "plan", "export"):
        open_page(app, page)
        for element in [*app.markdown, *app.caption, *app.error, *app.warning, *app.info, *app.success]:
            text = element.value
            assert "](https://evil" not in text, (page, text)
    assert not errors(app)


# --- 4. the rulebooks of the case's jurisdiction come first ------------------------------------


@pytest.mark.parametrize(
    ("example", "expected"),
    [("jp-midsize.yaml", "jp-fsa-draft"), ("eu-casp-small.yaml", "eu-mica-art67"), ("hk-platform.yaml", "hk-sfc-vatp")],
)
def test_switching_to_a_regime_offers_the_case_jurisdictions_rulebook_first(app, example, expected):
    load_example(app, example)
    by_label(app.radio, "R is").set_value("regime").run()
    no_traceback(app)
    menu = by_label(app.selectbox, "Regime rulebook")
    assert menu.value == expected and menu.options[0].startswith(expected)


# --- 5. the audit trail records runs on request and on export; an edited case says so ------------


def runs_recorded(db):
    return Workspace(str(db)).count_runs()


def test_edits_and_slider_ticks_record_no_runs_and_an_edited_case_is_marked(app, db):
    by_label(app.number_input, "Requirement R").set_value(12e9).run()
    by_label(app.number_input, "Requirement R").set_value(11e9).run()
    open_page(app, "what_if")
    for value in (0.5, 0.75, 1.5):
        choose_premium_target(app, "all insurance")
        by_label(app.slider, "Premium scale for all insurance").set_value(value).run()
    assert runs_recorded(db) == 0
    source = captions(app, app.sidebar)[0]
    assert re.search(r"from example jp-midsize\.yaml, edited \(SHA-256 [0-9a-f]{12}\)", source), source
    open_page(app, "case")
    by_label(app.text_input, "Name this version (optional)").set_value("Board proposal").run()
    source = captions(app, app.sidebar)[0]
    assert re.search(r"Board proposal \(edited from example jp-midsize\.yaml, SHA-256 ([0-9a-f]{12})\)", source)
    digest = re.search(r"SHA-256 ([0-9a-f]{12})", source)[1]
    open_page(app, "optimise")
    app.button(key="record_run").click().run()
    assert runs_recorded(db) == 1
    run = Workspace(str(db)).runs()[0]
    assert run.case_sha256.startswith(digest) and "Board proposal" in run.source
    # Back to the example's own value: no longer edited (compared as checked cases).
    open_page(app, "case")
    by_label(app.number_input, "Requirement R").set_value(10e9).run()
    assert "edited" not in captions(app, app.sidebar)[0]


def test_a_reload_keeps_the_versions_name(app):
    by_label(app.text_input, "Name this version (optional)").set_value("Q3 plan").run()
    assert by_label(reload(app).text_input, "Name this version (optional)").value == "Q3 plan"


# --- 8. sweeps in the case's units, gaps listed, refined ------------------------------------------


def test_a_sweep_lists_its_infeasible_points_in_money_and_refines_its_grid(app):
    load_example(app, "jp-midsize-infeasible.yaml")
    open_page(app, "what_if")
    app.toggle(key="sweep_on").set_value(True).run()
    sweep = by_label(app.selectbox, "Sweep")
    sweep.select_index(sweep.options.index("requirement R")).run()
    no_traceback(app)
    listed = warnings(app)
    assert "No compliant mix at" in listed
    assert re.search(r"- ¥\d+\.\dbn: infeasible", listed), listed
    assert "e+" not in listed
    count = int(re.search(r"(\d+) optimisations", " ".join(captions(app)))[1])
    assert count > 11  # the even grid of 11, then points where feasibility changes


# --- 9. scenarios: the levers each moved, scoped to their case, what binds in full ----------------


def test_scenarios_show_their_levers_and_belong_to_their_case(app):
    from test_app import comparison

    open_page(app, "what_if")
    choose_premium_target(app, "all insurance")
    by_label(app.slider, "Premium scale for all insurance").set_value(1.5).run()
    save_scenario(app, "dear insurance")
    table = comparison(app)
    assert table.loc["levers moved", "dear insurance"] == "all insurance ×1.50"
    assert "lc-bank-a (guarantee) is capped at ¥2.0bn" in table.loc["what binds", "dear insurance"]
    open_page(app, "case")
    load_example(app, "eu-casp-small.yaml")
    open_page(app, "what_if")
    message = app.info[0].value
    assert "No scenarios saved for this case yet" in message and "1 saved for other cases" in message
    by_label(app.toggle, "Show the scenarios of other cases too").set_value(True).run()
    assert "dear insurance" in by_label(app.multiselect, "Scenarios to compare").options


# --- 10. one colour per instrument on every chart; tables wide enough for their text -------------


def colour_scales(spec):
    found = []

    def walk(node):
        if isinstance(node, dict):
            colour = node.get("encoding", {}).get("color")
            if isinstance(colour, dict) and "scale" in colour:
                found.append((tuple(colour["scale"]["domain"]), tuple(colour["scale"]["range"])))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def test_each_instrument_keeps_its_colour_across_charts_and_runs():
    from pathlib import Path

    from optimizer import load_case, optimize
    from optimizer.workbench.variants import Levers, premium_targets, variant_case
    from ui.charts import cost_chart, ladder_chart

    case = load_case(Path(__file__).resolve().parent.parent / "data" / "examples" / "jp-midsize.yaml")
    answer = optimize(case)
    insurance = next(target for target in premium_targets(case) if target.label() == "all insurance")
    dearer = optimize(variant_case(case, Levers(premium_scale={insurance: 2.0})))  # a different mix
    scales = {scale for chart in (cost_chart(answer), ladder_chart(answer), cost_chart(dearer), ladder_chart(dearer))
              for scale in colour_scales(chart.to_dict())}
    assert len(scales) == 1
    domain, colours = scales.pop()
    assert domain == tuple(item.id for item in case.instruments) and len(set(colours)) == len(domain)


def test_table_columns_fit_their_longest_text():
    import pandas as pd

    from ui.tables import column_widths

    widths = column_widths(pd.DataFrame({"change": ["raise lc-bank-a's max_amount from ¥1.0bn to ¥2.0bn"], "x": ["1"]}))
    assert widths["change"] >= 7.5 * 51 and widths["x"] == 60


# --- 11. currencies are real ISO 4217 codes; a second upload shows only its own problems -----------


@pytest.mark.parametrize(("code", "hint"), [("YEN", "did you mean JPY?"), ("XYZ", "use the code of the currency")])
def test_a_currency_must_be_a_real_iso_code(app, code, hint):
    by_label(app.text_input, "Currency (ISO 4217)").set_value(code).run()
    no_traceback(app)
    assert f"`currency` is not an ISO 4217 currency code (got '{code}'); {hint}" in errors(app)


def test_a_second_upload_does_not_show_the_first_ones_problems(app):
    first = (
        b"name: first\ncurrency: YEN\nrequirement: {amount: 1e9}\n"
        b"instruments: [{id: c, kind: cash, cost_rate: 0.05}]\n"
    )
    app.file_uploader[0].set_value(("first.yaml", first, "application/x-yaml")).run()
    assert "first.yaml was not loaded" in errors(app) and "got 'YEN'" in errors(app)
    assert app.file_uploader[0].value is None  # cleared for the next file
    second = b"name: second\n"
    app.file_uploader[0].set_value(("second.yaml", second, "application/x-yaml")).run()
    assert "second.yaml was not loaded" in errors(app)
    assert "first.yaml" not in errors(app) and "YEN" not in errors(app)
    good = first.replace(b"YEN", b"JPY")
    app.file_uploader[0].set_value(("good.yaml", good, "application/x-yaml")).run()
    no_traceback(app)
    assert not errors(app) and metric(app, "Requirement R") == "¥1.0bn"


# --- 12. a negative marginal cost of R is explained on the page ------------------------------------


def test_a_negative_marginal_cost_is_explained_on_the_page():
    def page():
        import dataclasses
        from pathlib import Path

        from optimizer import load_case, optimize
        from ui.views import headline

        answer = optimize(load_case(Path.cwd() / "data" / "examples" / "jp-midsize.yaml"))
        headline(dataclasses.replace(answer, marginal_cost_of_requirement=-0.004))

    app = AppTest.from_function(page, default_timeout=60).run()
    no_traceback(app)
    text = unescape(app.info[0].value)
    assert "More R would cost less here" in text and "lowers the annual cost by ¥4.0m" in text
    assert "caps set as fractions of R" in text


def test_the_what_if_page_in_japanese_names_targets_and_the_scenario_form_in_japanese(app):
    from page_words import english_leftovers, shown_text

    from optimizer.workbench.variants import Target, TargetKind
    from ui.messages import target_label

    open_page(app, "what_if")
    words = shown_text(app)
    assert "Scenario name" in words and "Save as scenario" in words  # the check can see them
    app.sidebar.get("button_group")[0].set_value("ja").run()
    no_traceback(app)
    words = shown_text(app)
    assert "シナリオ名" in words and "シナリオとして保存" in words
    assert "Scenario name" not in words and "Save as scenario" not in words
    menu = next(box for box in app.main.selectbox if box.label == "保険料を調整する対象")
    assert not [option for option in menu.options if option.startswith("all ")], menu.options
    assert english_leftovers(app, "scenarios") == [] and english_leftovers(app, "levers") == []
    # In English (outside a session: the default language) the label is the optimizer's own, Target.label.
    for kind in ("cash", "guarantee", "insurance", "parametric"):
        target = Target(TargetKind.KIND, kind)
        assert target_label(target) == target.label()
