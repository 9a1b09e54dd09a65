"""The Streamlit app, page by page, through Streamlit's AppTest (no browser).

Each test gets a fresh session and its own workspace file (RESERVE_OPT_DB in tmp_path).
"""

import sqlite3

import pytest
from apptest_helpers import (
    EXAMPLES,
    by_label,
    captions,
    edit_market,
    errors,
    metric,
    new_session,
    no_traceback,
    open_page,
    save_scenario,
    sidebar_cost,
    slider,
    warnings,
)

from optimizer.workbench import workspace_engine
from ui.text import unescape

# --- Case page -------------------------------------------------------------------------------


def test_a_session_starts_on_the_default_example(app):
    no_traceback(app)
    assert app.title[0].value == "Case"
    assert metric(app, "Requirement R") == "¥10.0bn"
    assert sidebar_cost(app) == "¥274m a year"


def test_load_another_example(app):
    app.selectbox(key="example_choice").set_value("eu-casp-small.yaml")
    app.button(key="load_example").click().run()
    no_traceback(app)
    assert metric(app, "Requirement R") == "€300k"
    assert "Small EU crypto-asset service provider" in captions(app, app.sidebar)[0]
    assert by_label(app.text_input, "Currency (ISO 4217)").value == "EUR"  # the widgets show the new case


def test_changing_a_value_re_solves(app):
    by_label(app.number_input, "Requirement R").set_value(12e9).run()
    no_traceback(app)
    assert metric(app, "Requirement R") == "¥12.0bn"
    assert sidebar_cost(app) != "¥274m a year"
    cost = sidebar_cost(app)
    open_page(app, "optimise")
    assert f"{metric(app, 'Optimal annual cost')} a year" == cost
    open_page(app, "case")  # the edit survives a round trip through another page
    assert by_label(app.number_input, "Requirement R").value == 12e9


def test_a_bad_value_is_explained_and_every_page_stays_up(app):
    by_label(app.text_input, "Currency (ISO 4217)").set_value("yen").run()
    no_traceback(app)
    assert "currency` must be a three-letter ISO 4217 code in capitals such as JPY or EUR (got 'yen')" in errors(app)
    for page in ("optimise", "what_if", "export"):
        # The last valid version stays on screen, with a banner saying what is wrong.
        open_page(app, page)
        assert "Showing the last valid version of the case" in warnings(app)
        assert "`currency` must be a three-letter ISO 4217 code" in warnings(app)
    assert metric(app, "Optimal annual cost") == "¥274m" if page != "export" else True
    open_page(app, "case")
    by_label(app.text_input, "Currency (ISO 4217)").set_value("JPY").run()
    assert sidebar_cost(app) == "¥274m a year"


def test_a_valid_upload_replaces_the_case(app):
    raw = (EXAMPLES / "hk-platform.yaml").read_bytes()
    app.file_uploader[0].set_value(("hk.yaml", raw, "application/x-yaml")).run()
    no_traceback(app)
    assert metric(app, "Requirement R") == "HK$10.2bn"
    assert "from upload hk.yaml" in captions(app, app.sidebar)[0]


BAD_CASE = b"""
name: Broken
currency: JPY
requirement: {amount: 10_000_000_000}
instruments:
  - {id: cash, kind: cash, cost_rate: 5}
  - {id: xl, kind: insurance, attachment: 0, limit: 1e9, premium_rate: 0.02}
"""


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        (
            "broken.yaml",
            BAD_CASE,
            [
                "`instruments[0].cost_rate` must be between 0 and 1 (got 5); rates are fractions, so 5% is 0.05",
                "`instruments[1].counterparty` is required for insurance instruments",
                "broken.yaml was not loaded: it has 2 problem(s)",
            ],
        ),
        ("notes.yaml", b"just some notes\n", ["the case must be a mapping"]),
        ("bad.json", b'{"name": "x",', ["the file is not valid JSON"]),
        ("huge.yaml", b"name: x\n" + b"#" * 1_100_000, ["over the 1 MB limit"]),
    ],
)
def test_a_bad_upload_lists_every_problem_and_loses_nothing(app, name, raw, expected):
    # Save a scenario first: a bad upload must not touch the workspace or the open case.
    open_page(app, "what_if")
    save_scenario(app, "kept")
    open_page(app, "case")
    app.file_uploader[0].set_value((name, raw, "application/octet-stream")).run()
    no_traceback(app)
    for text in expected:
        assert text in errors(app)
    assert sidebar_cost(app) == "¥274m a year"  # the open case is unchanged
    assert metric(app, "Requirement R") == "¥10.0bn"
    open_page(app, "what_if")
    assert "kept" in by_label(app.multiselect, "Scenarios to compare").options


# --- Market page -----------------------------------------------------------------------------


def test_market_edits_are_checked_per_row_and_re_solved(app):
    open_page(app, "market")
    assert app.success[0].value == "8 instruments, all valid."
    # xl-2 is the second insurance layer (row 5 of the case); rates are typed in percent.
    edit_market(app, "insurance", {"edited_rows": {1: {"premium_rate": 350}}})
    edit_market(app, "guarantee", {"added_rows": [{"id": "lc-c"}]})
    text = errors(app)
    assert "Row 5 (xl-2) · `instruments[4].premium_rate`: must be between 0% and 100% (got 350%)" in text
    assert "Row 9 (lc-c) · `instruments[8].counterparty`: is required for guarantee instruments" in text
    assert "Row 9 (lc-c) · `instruments[8].fee_rate`: is required" in text
    marked = app.dataframe[0].value  # the faulty rows, read-only, faulty cells highlighted
    assert list(marked["Row"]) == [5, 9]
    # The new row is numbered 9 in its grid too.
    guarantees = next(frame for frame in app.data_editor if frame.key.startswith("market_guarantee_")).value
    assert list(guarantees["row"]) == [2, 3, 9]
    # Other pages keep the last valid answer and name the same row and path.
    open_page(app, "optimise")
    assert metric(app, "Optimal annual cost") == "¥274m"
    assert "`instruments[8].counterparty` (Market row 9, lc-c) is required" in warnings(app)
    open_page(app, "market")
    # Fix the rate and finish the new row: a cheap, large guarantee changes the answer.
    edit_market(app, "insurance", {"edited_rows": {1: {"premium_rate": 3.5}}})
    edit_market(app, "guarantee", {"edited_rows": {2: {"counterparty": "Bank C", "fee_rate": 0.1,
                                                       "max_amount": 3e9, "payout_days": 3}}})
    assert app.success[0].value == "9 instruments, all valid."
    assert sidebar_cost(app) != "¥274m a year"


def test_market_grids_show_only_the_fields_of_each_kind_in_percent(app):
    open_page(app, "market")
    grids = {frame.key.split("_")[1]: frame.value for frame in app.data_editor}
    assert list(grids["cash"].columns) == ["row", "id", "counterparty", "cost_rate", "max_amount", "payout_days",
                                           "description"]
    assert "attachment" in grids["insurance"].columns and "attachment" not in grids["guarantee"].columns
    assert grids["cash"].loc[0, "cost_rate"] == 5.0  # 0.05 in the case file, 5% on screen
    assert grids["insurance"].loc[0, "premium_rate"] == pytest.approx(6.0)  # 0.06 in the file


def test_market_rows_can_be_removed(app):
    open_page(app, "market")
    edit_market(app, "parametric", {"deleted_rows": [0]})  # the parametric cover, not bought anyway
    assert app.success[0].value == "7 instruments, all valid."
    assert sidebar_cost(app) == "¥274m a year"


def test_market_csv_export_and_import(app):
    open_page(app, "market")
    assert by_label(app.get("download_button"), "Download the instruments (CSV)")
    csv = (
        b"id,kind,counterparty,cost_rate,fee_rate,max_amount,payout_days\n"
        b"cash,cash,,0.05,,,\n"
        b"lc,guarantee,Bank Z,,0.01,20000000000,2\n"
    )
    app.file_uploader[0].set_value(("quotes.csv", csv, "text/csv")).run()
    no_traceback(app)
    assert app.success[0].value == "2 instruments, all valid."
    # The case's 40% cap per counterparty holds: 40% of ¥10bn from Bank Z at 1% (¥40m) and the
    # other 60% in cash at 5% (¥300m).
    assert sidebar_cost(app) == "¥340m a year"


def test_a_bad_csv_changes_nothing(app):
    open_page(app, "market")
    app.file_uploader[0].set_value(("q.csv", b"id,kinds\ncash,cash\n", "text/csv")).run()
    no_traceback(app)
    text = errors(app)
    assert "q.csv was not imported: 2 problem(s)" in text
    assert "column 'kinds' is not an instrument field; did you mean 'kind'?" in text
    assert app.success[0].value == "8 instruments, all valid."


# --- Optimise page -----------------------------------------------------------------------------


def test_optimise_shows_the_mix_charts_binding_and_break_even_prices(app):
    open_page(app, "optimise")
    assert metric(app, "Optimal annual cost") == "¥274m"
    assert metric(app, "Marginal cost per ¥1.0bn of R") == "¥38.0m"
    mix = app.dataframe[0].value
    assert list(mix["instrument"]) == ["cash", "lc-bank-a", "lc-bank-b", "xl-1-primary", "xl-2", "xl-3",
                                       "xl-4-specie", "cat-1"]
    assert mix.set_index("instrument").loc["cash", "bought"] == "¥2,000,000,000"
    assert len(app.get("vega_lite_chart")) == 2  # cost by instrument, coverage ladder
    binding = " ".join(unescape(markdown.value) for markdown in app.markdown)
    assert "cash must be at least 20% of the requirement" in binding
    prices = app.table[0].value.map(unescape).set_index("instrument")  # Markdown cells, escaped
    assert prices.loc["xl-1-primary", "enters the mix at"] == "3.5% a year"


def test_an_infeasible_case_shows_the_diagnosis_and_its_cheapest_fix(app):
    app.selectbox(key="example_choice").set_value("jp-midsize-infeasible.yaml")
    app.button(key="load_example").click().run()
    open_page(app, "optimise")
    assert "No mix of the instruments on offer meets this case" in errors(app)
    assert "¥1.0bn of the ¥10.0bn requirement at a single loss of ¥10.0bn cannot be covered" in errors(app)
    fixes = app.dataframe[0].value
    assert fixes.iloc[0]["change"] == "raise lc-bank-a's max_amount from ¥1.0bn to ¥2.0bn"
    app.button(key="apply_fix").click().run()
    no_traceback(app)
    assert metric(app, "Optimal annual cost") == "¥284m"
    assert not errors(app)


# --- What-if page ------------------------------------------------------------------------------


def test_what_if_re_solves_on_each_slider_change(app):
    open_page(app, "what_if")
    assert metric(app, "Optimal annual cost") == "¥274m"
    slider(app, "Requirement R").set_value(12e9).run()
    no_traceback(app)
    assert metric(app, "Optimal annual cost") != "¥274m"
    assert metric(app, "Requirement R") == "¥12.0bn"
    slider(app, "Cost of capital (cash), % a year").set_value(10.0).run()
    slider(app, "Insurance cap (share of R)").set_value("none").run()
    slider(app, "Cash floor (share of R)").set_value(0).run()
    no_traceback(app)
    choose_premium_target(app, "all insurance")
    slider(app, "Premium scale for all insurance").set_value(2.0).run()
    no_traceback(app)
    assert len(app.get("vega_lite_chart")) == 0  # the sweep is off until asked for
    app.toggle(key="sweep_on").set_value(True).run()
    assert len(app.get("vega_lite_chart")) == 1  # the sweep
    assert sidebar_cost(app) == "¥274m a year"  # the case itself is untouched


def test_save_and_compare_scenarios_and_find_them_in_a_new_session(app, db):
    open_page(app, "what_if")
    save_scenario(app, "as quoted")
    slider(app, "Requirement R").set_value(15e9).run()
    higher = metric(app, "Optimal annual cost")
    save_scenario(app, "R +50%")
    save_scenario(app, "R +50%")  # a name is never overwritten
    assert "'R +50%' is already saved" in errors(app)
    table = comparison(app)
    assert list(table.columns) == ["Current (unsaved)", "as quoted", "R +50%"]
    assert table.loc["annual cost", "as quoted"] == "¥274,000,000"
    assert table.loc["requirement R", "R +50%"] == "¥15.0bn"
    assert "cash must be at least 20%" in table.loc["what binds", "as quoted"]
    # Close the browser, come back tomorrow: a new session on the same workspace.
    tomorrow = open_page(new_session(), "what_if")
    assert by_label(tomorrow.multiselect, "Scenarios to compare").options == ["as quoted", "R +50%"]
    by_label(tomorrow.selectbox, "Scenario").set_value("R +50%")
    tomorrow.button(key="open_scenario").click().run()
    no_traceback(tomorrow)
    assert metric(tomorrow, "Optimal annual cost").startswith(higher[:2])
    assert metric(tomorrow, "Requirement R") == "¥15.0bn"
    tomorrow.button(key="delete_scenario").click().run()
    assert by_label(tomorrow.multiselect, "Scenarios to compare").options == ["as quoted"]


def test_a_busy_workspace_keeps_the_scenario_name_and_says_so(app, db, monkeypatch):
    # Another session holds the write lock longer than the busy timeout (shortened for the test).
    monkeypatch.setattr(workspace_engine, "BUSY_TIMEOUT_MS", 300)
    open_page(app, "what_if")
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        save_scenario(app, "saved later")
        assert "Not saved: the workspace is busy" in errors(app)
        assert by_label(app.text_input, "Scenario name").value == "saved later"  # the input is kept
    finally:
        other.execute("ROLLBACK")
        other.close()
    next(button for button in app.button if button.label == "Save as scenario").click().run()
    no_traceback(app)
    assert by_label(app.multiselect, "Scenarios to compare").options == ["saved later"]
    assert by_label(app.text_input, "Scenario name").value == ""  # cleared once saved


def test_an_in_memory_workspace_renders_the_app(monkeypatch):
    monkeypatch.setenv("RESERVE_OPT_DB", "sqlite://")
    app = open_page(new_session(), "what_if")
    save_scenario(app, "in memory")
    assert "in memory" in by_label(app.multiselect, "Scenarios to compare").options


def test_a_bad_workspace_setting_is_explained_and_the_app_still_optimises(monkeypatch):
    monkeypatch.setenv("RESERVE_OPT_DB", "nosuchdb://host/reserve")
    app = open_page(new_session(), "what_if")
    assert metric(app, "Optimal annual cost") == "¥274m"
    warnings = "\n".join(warning.value for warning in app.warning)
    assert "Scenarios cannot be saved: the workspace is unavailable" in warnings
    assert "its database driver is not available" in warnings


def choose_premium_target(app, label):
    menu = by_label(app.selectbox, "Scale the premiums of")
    menu.select_index(menu.options.index(label)).run()


def comparison(app):
    frames = [table.value for table in app.table if "what binds" in [unescape(str(row)) for row in table.value.index]]
    assert frames, "no comparison table on the page"
    frame = frames[0].map(lambda text: unescape(str(text)).replace("  \n", "\n"))
    frame.index = [unescape(str(row)) for row in frame.index]
    frame.columns = [unescape(str(column)) for column in frame.columns]
    return frame


def test_levers_that_make_the_case_invalid_are_explained(app):
    open_page(app, "market")
    edit_market(app, "insurance", {"edited_rows": {0: {"premium_rate": 50}}})  # xl-1-primary at 50% rate on line
    open_page(app, "what_if")
    choose_premium_target(app, "all insurance")
    slider(app, "Premium scale for all insurance").set_value(3.0).run()
    no_traceback(app)
    assert "These lever settings make the case invalid" in errors(app)
    assert "`instruments[3].premium_rate` must be between 0 and 1 (got 1.5" in errors(app)
    slider(app, "Premium scale for all insurance").set_value(1.0).run()
    assert metric(app, "Optimal annual cost") == "¥274m"


# --- Export page -------------------------------------------------------------------------------


def test_export_offers_every_file_and_lists_the_runs(app):
    open_page(app, "export")
    assert "No runs recorded yet." in [info.value for info in app.info]  # opening pages records nothing
    open_page(app, "optimise")
    app.button(key="record_run").click().run()
    assert "Recorded as run 1" in app.success[0].value
    open_page(app, "export")
    labels = [button.label for button in app.get("download_button")]
    assert labels[:6] == ["Case (YAML)", "Board report (HTML)", "Board report (PDF)", "Answer (CSV)",
                          "Answer (Excel, one sheet per table)", "Audit record (JSON)"]
    runs = app.dataframe[0].value
    assert len(runs) == 1 and runs.iloc[0]["status"] == "optimal"
    assert runs.iloc[0]["recorded by"] == "reserve-opt app (recorded on request): example jp-midsize.yaml"
    assert runs.iloc[0]["annual cost"] == "¥274,000,000"
    assert "Audit record of this run (JSON)" in labels


# --- Regime rulebooks --------------------------------------------------------------------------


def test_a_regime_case_shows_its_breakdown_and_its_assumptions_can_be_changed(app):
    app.selectbox(key="example_choice").set_value("jp-midsize-regime.yaml")
    app.button(key="load_example").click().run()
    no_traceback(app)
    assert by_label(app.radio, "R is").value == "regime"
    assert metric(app, "Requirement R") == "¥8.0bn"
    assert any("R = min(cap, max(floor" in text.value for text in app.markdown)
    cost = sidebar_cost(app)
    by_label(app.number_input, "insurance_share (%)").set_value(30.0).run()
    no_traceback(app)
    assert "Changed from the rulebook: insurance_share = 30%." in captions(app)
    assert sidebar_cost(app) != cost  # a tighter insurance cap costs more
    # Switching to a direct amount starts from the R the regime computed, and back again.
    by_label(app.radio, "R is").set_value("amount").run()
    assert by_label(app.number_input, "Requirement R").value == 8e9
    by_label(app.radio, "R is").set_value("regime").run()
    assert by_label(app.selectbox, "Regime rulebook").value == "jp-fsa-draft"
    assert metric(app, "Requirement R") == "¥8.0bn"


def test_what_if_moves_a_regime_assumption(app):
    app.selectbox(key="example_choice").set_value("jp-midsize-regime.yaml")
    app.button(key="load_example").click().run()
    open_page(app, "what_if")
    by_label(app.selectbox, "Assumption of jp-fsa-draft").set_value("custody_rate").run()
    slider(app, "custody_rate (assumption)").set_value(0.02).run()
    no_traceback(app)
    assert metric(app, "Requirement R") == "¥16.0bn"  # 2% of ¥800bn client crypto, under the ¥40bn cap
    app.toggle(key="sweep_on").set_value(True).run()
    sweep = by_label(app.selectbox, "Sweep")
    sweep.select_index(sweep.options.index("jp-fsa-draft insurance_share")).run()
    no_traceback(app)
    assert len(app.get("vega_lite_chart")) == 1
