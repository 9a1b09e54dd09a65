"""Helpers shared by the AppTest tests (``from apptest_helpers import ...``).

Each test gets a fresh session and its own workspace file (RESERVE_OPT_DB in tmp_path).
"""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.text import unescape

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples"


def new_session():
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def open_page(app, name):
    app.switch_page(f"app_pages/{name}.py").run()
    assert not app.exception, app.exception[0].message if app.exception else ""
    return app


def by_label(widgets, label):
    matches = [widget for widget in widgets if widget.label == label]
    assert matches, f"no widget labelled {label!r} among {[widget.label for widget in widgets]}"
    return matches[0]


def metric(app, label):
    return by_label(app.metric, label).value


def sidebar_cost(app):
    return by_label(app.sidebar.metric, "Cheapest compliant mix").value


def errors(app):
    """Every error message on the page, as the reader sees it (user text is escaped Markdown)."""
    return "\n".join(unescape(error.value) for error in app.error)


def warnings(app):
    return "\n".join(unescape(warning.value) for warning in app.warning)


def captions(app, where=None):
    return [unescape(caption.value) for caption in (where or app).caption]


def no_traceback(app):
    assert not app.exception, app.exception[0].message if app.exception else ""


def slider(app, label):
    return by_label([*app.slider, *app.select_slider], label)


def save_scenario(app, name):
    by_label(app.text_input, "Scenario name").set_value(name)
    next(button for button in app.button if button.label == "Save as scenario").click().run()
    no_traceback(app)


def load_example(app, name):
    app.selectbox(key="example_choice").set_value(name)
    app.button(key="load_example").click().run()
    no_traceback(app)
    return app


def edit_market(app, kind, edits):
    """Edit the Market grid of one kind (rows numbered from 0 within that grid)."""
    key = next(frame.key for frame in app.data_editor if frame.key.startswith(f"market_{kind}_"))
    app.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **edits}
    app.run()
    no_traceback(app)
