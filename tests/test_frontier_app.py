"""The app's Frontier page (AppTest, no browser): the chart, the current mix, the board-limit slider."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from test_risk_app import app, load_example, open_page  # noqa: F401  (the fixture and helpers)


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
    board = app.slider(key="fr_board_cvar")
    assert board.value == 15.0  # the case's own limit, in ¥bn
    board.set_value(13.0).run()
    assert not app.exception
    headings = " ".join(m.value for m in app.markdown)
    assert "At the board limit ¥13.0bn" in headings
    app.button[0].click().run()  # write the limit into the case
    assert not app.exception
    open_page(app, "frontier")
    assert app.slider(key="fr_board_cvar").value == 13.0


def test_frontier_page_for_the_expected_loss(app: AppTest) -> None:  # noqa: F811
    load_example(app, "jp-midsize-cvar.yaml")
    open_page(app, "frontier")
    app.slider(key="fr_points").set_value(5).run()
    app.radio(key="fr_measure").set_value("expected").run()
    assert not app.exception and not app.error
    assert "expected uncovered annual loss" in " ".join(c.value for c in app.caption)
