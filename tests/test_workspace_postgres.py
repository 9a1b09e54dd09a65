"""The workspace on a real PostgreSQL server (#12 item 15): several sessions saving at once, nothing lost.

Runs against the server named by RESERVE_OPT_TEST_PG (a SQLAlchemy URL; .ci/run installs and
starts Debian's postgresql and sets it). Without it the tests skip, saying so; with
REQUIRE_POSTGRES=1 (set by .ci/run) a missing server fails them instead. Each test works in a
schema of its own, dropped afterwards.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from optimizer import load_case, optimize
from optimizer.workbench.audit import audit_record
from optimizer.workbench.drafts import DraftStore
from optimizer.workbench.workspace import ScenarioExistsError, Workspace

SESSIONS = 8
EACH = 10
CASE = Path(__file__).resolve().parent.parent / "data" / "examples" / "jp-midsize.yaml"


@pytest.fixture
def postgres_url():
    """A URL whose connections work in a fresh schema of the test server (dropped afterwards)."""
    base = os.environ.get("RESERVE_OPT_TEST_PG", "")
    if not base:
        message = "PostgreSQL tests not run: set RESERVE_OPT_TEST_PG to a server's SQLAlchemy URL (.ci/run does)"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " (REQUIRE_POSTGRES=1)")
        pytest.skip(message)
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _record() -> dict:
    case = load_case(CASE)
    solution = optimize(case)
    now = datetime.now(UTC)
    return json.loads(json.dumps(audit_record(case, CASE.read_bytes(), solution, now, now, "test"), default=str))


def _session(url: str, number: int, record: dict, answer: dict, base: dict) -> tuple[int, int]:
    """One app session: opens the workspace (creating the schema if first), saves and records."""
    store = Workspace(url)
    drafts = DraftStore(store.engine)
    won = 0
    try:
        store.save_scenario("shared name", base_case=base, levers={}, case=base, answer=answer)
        won = 1
    except ScenarioExistsError:
        pass
    for index in range(EACH):
        store.save_scenario(f"session {number} scenario {index}", base_case=base, levers={}, case=base, answer=answer)
        store.record_run({**record, "source": f"session {number} run {index}"})
        drafts.save(f"session-{number:04d}", {"case": base, "step": index}, base["name"], "what_if")
    store.close()
    return number, won


def test_several_sessions_save_at_once_and_nothing_is_lost(postgres_url):
    record = _record()
    answer = record["answer"]
    base = record["case"]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=SESSIONS, mp_context=context) as pool:
        futures = [pool.submit(_session, postgres_url, number, record, answer, base) for number in range(SESSIONS)]
        results = [future.result(timeout=300) for future in futures]
    assert sorted(number for number, _ in results) == list(range(SESSIONS))
    assert sum(won for _, won in results) == 1  # one name, one scenario: the others were told it exists
    store = Workspace(postgres_url)
    names = [scenario.name for scenario in store.scenarios()]
    assert len(names) == SESSIONS * EACH + 1 and len(set(names)) == len(names)
    assert store.count_runs() == SESSIONS * EACH
    sources = {run.source for run in store.runs(limit=1000)}
    assert sources == {f"session {number} run {index}" for number in range(SESSIONS) for index in range(EACH)}
    drafts = DraftStore(store.engine)
    for number in range(SESSIONS):
        draft = drafts.load(f"session-{number:04d}")
        assert draft is not None and draft.state["step"] == EACH - 1  # the last save of each session
    # A run's full record reads back as written.
    first = store.runs(limit=1)[0]
    assert store.run_record(first.id)["case_sha256"] == record["case_sha256"]
    store.close()


def test_the_app_runs_on_postgresql(postgres_url, monkeypatch):
    from apptest_helpers import new_session, open_page

    monkeypatch.setenv("RESERVE_OPT_DB", postgres_url)
    app = new_session()
    assert not app.exception
    open_page(app, "optimise")
    app.button(key="record_run").click().run()
    assert "Recorded as run 1" in app.success[0].value
    again = new_session()  # autosave and scenarios share the server
    open_page(again, "export")
    assert again.dataframe[0].value.iloc[0]["status"] == "optimal"
