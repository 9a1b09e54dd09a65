"""What the app does not redo on a rerun or a fresh session (issue #12, "Speed the user feels").

No timing assertions: these hold what is (not) computed; ``benchmarks/bench_browser.py`` times
it in a real browser.
"""

import tomllib

from apptest_helpers import ROOT, by_label, new_session, no_traceback, sidebar_cost

from ui import solving


def _counting(monkeypatch):
    """Count the solves from here on."""
    calls = []
    real = solving.optimize_priced

    def counted(*args, **kwargs):
        calls.append(args[0].name)
        return real(*args, **kwargs)

    monkeypatch.setattr(solving, "optimize_priced", counted)
    return calls


def test_a_fresh_session_of_a_case_already_solved_does_not_solve_it_again(db, monkeypatch):
    first = new_session()
    no_traceback(first)
    calls = _counting(monkeypatch)
    second = new_session()  # a new tab: a new session, the same server
    no_traceback(second)
    assert calls == []
    assert sidebar_cost(second) == sidebar_cost(first) == "¥274m a year"
    # Each session holds its own copy of the answer (st.cache_data), not one shared object.
    (mine,) = second.session_state["_solutions"].values()
    (theirs,) = first.session_state["_solutions"].values()
    assert mine == theirs and mine is not theirs


def test_an_edited_case_is_solved_and_then_shared(db, monkeypatch):
    solving._shared_answer.clear()  # other tests in this process may have solved the same edit
    app = new_session()
    calls = _counting(monkeypatch)
    by_label(app.number_input, "Requirement R").set_value(11.5e9).run()
    no_traceback(app)
    assert len(calls) == 1
    cost = sidebar_cost(app)
    assert cost != "¥274m a year"
    other = new_session()
    by_label(other.number_input, "Requirement R").set_value(11.5e9).run()
    assert len(calls) == 1 and sidebar_cost(other) == cost


def test_a_longer_time_limit_is_a_new_solve(db, monkeypatch):
    solving._shared_answer.clear()
    app = new_session()
    calls = _counting(monkeypatch)
    by_label(app.sidebar.number_input, "Solver time limit (seconds)").set_value(70).run()
    no_traceback(app)
    assert len(calls) == 1  # the limit is in the key: an answer that ran out of time is not reused


def test_streamlit_does_not_collect_garbage_after_every_run():
    # A full gc.collect after each run held the GIL for 0.1-0.4 s on this app's heap, so the
    # run's last messages and the next slider move waited behind it.
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
