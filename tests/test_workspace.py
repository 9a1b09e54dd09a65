"""The workspace (optimizer/workbench/workspace.py): scenarios and audit runs that outlive a session."""

import os
import re
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from optimizer import load_case, optimize
from optimizer.workbench.audit import audit_record, utc_now
from optimizer.workbench.workspace import (
    ENV_VAR,
    ScenarioExistsError,
    Workspace,
    WorkspaceBusyError,
    WorkspaceError,
    database_url,
    describe_location,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
CASE = load_case(EXAMPLES / "jp-midsize.yaml")
ANSWER = optimize(CASE)


def _save(store, name):
    data = CASE.model_dump(mode="json")
    return store.save_scenario(name, base_case=data, levers={"requirement": None}, case=data, answer=ANSWER.to_dict())


def test_the_schema_is_made_on_first_use_in_a_new_folder(tmp_path):
    path = tmp_path / "deep" / "folder" / "ws.sqlite"
    store = Workspace(str(path))
    assert path.exists()
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("select name from sqlite_master where type='table'")}
        mode = connection.execute("pragma journal_mode").fetchone()[0]
    assert {"scenarios", "audit_runs"} <= tables
    assert mode == "wal"
    Workspace(str(path))  # opening it again keeps what is there
    store.close()


def test_scenarios_are_saved_listed_and_deleted_and_survive_a_restart(tmp_path):
    url = str(tmp_path / "ws.sqlite")
    store = Workspace(url)
    first = _save(store, "base")
    _save(store, "  higher R  ")
    store.close()
    again = Workspace(url)  # "continue tomorrow": a new process would see the same
    saved = again.scenarios()
    assert [scenario.name for scenario in saved] == ["base", "higher R"]
    assert saved[0].total_cost == pytest.approx(ANSWER.total_cost)
    assert saved[0].summary["allocations"]["cash"] == pytest.approx(2e9)
    assert saved[0].summary["binding"][0].startswith("funds available")
    assert saved[0].case == CASE.model_dump(mode="json")
    again.delete_scenario(first)
    assert [scenario.name for scenario in again.scenarios()] == ["higher R"]


def test_a_name_is_never_overwritten(tmp_path):
    store = Workspace(str(tmp_path / "ws.sqlite"))
    _save(store, "plan A")
    with pytest.raises(ScenarioExistsError, match="'plan A' is already saved; choose another name"):
        _save(store, "plan A")
    with pytest.raises(ValueError, match="needs a name"):
        _save(store, "   ")
    assert len(store.scenarios()) == 1


def test_runs_keep_the_whole_audit_record(tmp_path):
    store = Workspace(str(tmp_path / "ws.sqlite"))
    now = utc_now()
    record = audit_record(CASE, b"case bytes", ANSWER, now, now, "a test")
    run_id = store.record_run(record)
    (run,) = store.runs()
    assert (run.id, run.status, run.case_name) == (run_id, "optimal", CASE.name)
    assert store.run_record(run_id)["answer"]["total_cost"] == pytest.approx(ANSWER.total_cost)
    assert store.count_runs() == 1
    with pytest.raises(KeyError, match="no audit run"):
        store.run_record(run_id + 1)


def test_the_location_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "team.sqlite"))
    assert database_url() == f"sqlite:///{tmp_path / 'team.sqlite'}"
    monkeypatch.setenv(ENV_VAR, "postgresql://cfo:secret@db.internal/reserve")
    assert database_url() == "postgresql://cfo:secret@db.internal/reserve"
    assert "secret" not in describe_location(database_url())
    monkeypatch.delenv(ENV_VAR)
    assert database_url().endswith(".reserve-opt/workspace.sqlite")


def _writer(args):
    url, worker, count = args
    store = Workspace(url)
    now = utc_now()
    for index in range(count):
        store.record_run(audit_record(CASE, f"{worker}-{index}".encode(), ANSWER, now, now, f"worker {worker}"))
        if index % 5 == 0:
            _save(store, f"worker {worker} #{index}")
    store.close()
    return worker


def test_concurrent_sessions_do_not_corrupt_it(tmp_path):
    # Four processes (four app servers, or sessions) write at once to one fresh file: every
    # row lands, none twice, and SQLite's own check finds the file sound. Each writer is its own
    # interpreter started from the command line, not a multiprocessing child: a spawned child
    # re-runs the parent's __main__, which after the AppTest tests is app.py.
    url = str(tmp_path / "shared.sqlite")
    script = "import sys, test_workspace as t; t._writer((sys.argv[1], int(sys.argv[2]), 20))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    writers = [
        subprocess.Popen([sys.executable, "-c", script, url, str(worker)], env=env, stderr=subprocess.PIPE, text=True)
        for worker in range(4)
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=300)
        assert writer.returncode == 0, errors
    store = Workspace(url)
    assert store.count_runs() == 80
    assert len(store.scenarios()) == 16
    with sqlite3.connect(tmp_path / "shared.sqlite") as connection:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"


# --- issue #8, item 7: an in-memory database, a busy workspace, a bad setting ----------------


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_workspace_opens_and_is_shared_by_every_thread(url):
    # It used to retry the switch to WAL for ever (SQLite answers "memory", never "wal").
    done = []

    def open_it():
        store = Workspace(url)
        _save(store, "in memory")
        done.append(store)

    opener = threading.Thread(target=open_it, daemon=True)
    opener.start()
    opener.join(timeout=20)
    assert done, "opening an in-memory workspace did not finish"
    store = done[0]
    seen = []
    reader = threading.Thread(target=lambda: seen.append([scenario.name for scenario in store.scenarios()]))
    reader.start()
    reader.join(timeout=20)
    assert seen == [["in memory"]]  # another thread (another app session) sees the same database
    assert describe_location(store.url).startswith("(in memory")


def test_a_workspace_locked_by_another_writer_says_it_is_busy_and_writes_nothing(tmp_path):
    path = tmp_path / "ws.sqlite"
    store = Workspace(str(path), busy_timeout=0.2)
    _save(store, "before")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another session holds the write lock
    try:
        with pytest.raises(WorkspaceBusyError, match=r"busy: another session has been writing to it for more than 0.2 s"):  # noqa: E501
            _save(store, "while locked")
        with pytest.raises(WorkspaceBusyError, match="could not record the run"):
            now = utc_now()
            store.record_run(audit_record(CASE, b"x", ANSWER, now, now, "a test"))
        assert [scenario.name for scenario in store.scenarios()] == ["before"]  # WAL: reading goes on
    finally:
        other.execute("ROLLBACK")
        other.close()
    _save(store, "while locked")  # the same input, once the lock is gone
    assert [scenario.name for scenario in store.scenarios()] == ["before", "while locked"]


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("://", "is neither a file path nor a database URL; set RESERVE_OPT_DB to a file path"),
        ("nosuchdb://host/db", "its database driver is not available"),
        ("postgresql+nosuchdriver://cfo:secret@db.internal/reserve", "its database driver is not available"),
    ],
)
def test_a_bad_setting_gives_a_clear_message(setting, expected):
    with pytest.raises(WorkspaceError, match=re.escape(expected)) as caught:
        Workspace(setting)
    assert "secret" not in str(caught.value)


def test_a_workspace_file_that_cannot_be_created_gives_a_clear_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(WorkspaceError, match=r"file .*/ws.sqlite cannot be created: .*a-file is a file, not a folder"):
        Workspace(str(blocker / "ws.sqlite"))
