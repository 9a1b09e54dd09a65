"""The workspace that lasts: saved scenarios and every run's audit record, in a database.

An embedded SQLite file by default (``~/.reserve-opt/workspace.sqlite``, or the path or
SQLAlchemy URL in ``RESERVE_OPT_DB``), so a CFO can close the browser and continue the next
day; any SQLAlchemy URL (PostgreSQL for a team) works the same. The schema is created on
first use. SQLite runs in WAL mode with a busy timeout, so several app sessions (threads of
one server, or several servers) read while one writes and wait their turn to write instead
of failing or corrupting the file. Opening the database and its errors are in
``workspace_engine``: every failure reaches the caller as a ``WorkspaceError`` in words
(``WorkspaceBusyError`` when another session holds the write lock past the busy timeout).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import CreateIndex, CreateTable

from optimizer.workbench import workspace_engine
from optimizer.workbench.ddl import lock_schema
from optimizer.workbench.workspace_engine import (
    ENV_VAR,
    WorkspaceBusyError,
    WorkspaceError,
    database_url,
    describe_location,
    is_in_memory,
    open_engine,
    workspace_errors,
)

__all__ = [
    "ENV_VAR",
    "AuditRun",
    "Scenario",
    "ScenarioExistsError",
    "Workspace",
    "WorkspaceBusyError",
    "WorkspaceError",
    "database_url",
    "describe_location",
]

metadata = MetaData()

scenarios = Table(
    "scenarios",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("created_utc", String(40), nullable=False),
    Column("case_name", Text, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("requirement", Float, nullable=False),
    Column("total_cost", Float, nullable=True),
    Column("base_case_json", Text, nullable=False, doc="The case before the what-if levers."),
    Column("levers_json", Text, nullable=False),
    Column("case_json", Text, nullable=False, doc="The case that was solved (levers applied)."),
    Column("summary_json", Text, nullable=False, doc="Mix and what binds, to compare without re-solving."),
    UniqueConstraint("name", name="uq_scenarios_name"),
)

audit_runs = Table(
    "audit_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_utc", String(40), nullable=False),
    Column("finished_utc", String(40), nullable=False),
    Column("source", Text, nullable=False),
    Column("case_name", Text, nullable=False),
    Column("case_sha256", String(64), nullable=False),
    Column("status", String(20), nullable=False),
    Column("total_cost", Float, nullable=True),
    Column("record_json", Text, nullable=False),
)
_INDEXES = (Index("ix_audit_runs_started", audit_runs.c.started_utc),)


class ScenarioExistsError(ValueError):
    """A scenario of that name is already saved; nothing was overwritten."""


@dataclass(frozen=True)
class Scenario:
    """A saved what-if scenario."""

    id: int
    name: str
    created_utc: str
    case_name: str
    currency: str
    status: str
    requirement: float
    total_cost: float | None
    base_case: dict[str, Any]
    levers: dict[str, Any]
    case: dict[str, Any]
    summary: dict[str, Any]
    """``{"allocations": {id: amount}, "annual_costs": {id: cost}, "binding": [text, ...]}``."""


@dataclass(frozen=True)
class AuditRun:
    """One recorded optimisation run (the full record is read on demand)."""

    id: int
    started_utc: str
    finished_utc: str
    source: str
    case_name: str
    case_sha256: str
    status: str
    total_cost: float | None


class Workspace:
    """Saved scenarios and audit runs in one database (created on first use).

    Parameters
    ----------
    url
        A file path or SQLAlchemy URL; default ``RESERVE_OPT_DB``, then the home folder.
    busy_timeout
        Seconds a write waits for another session's write before ``WorkspaceBusyError``
        (default ``workspace_engine.BUSY_TIMEOUT_MS``).

    Raises
    ------
    WorkspaceError
        If the database cannot be opened; the message says why and what to set.
    """

    def __init__(self, url: str | None = None, *, busy_timeout: float | None = None) -> None:
        self.url = database_url(url)
        self.busy_timeout = workspace_engine.BUSY_TIMEOUT_MS / 1000 if busy_timeout is None else busy_timeout
        self.engine: Engine = open_engine(self.url, self.busy_timeout)
        # An in-memory database is one connection shared by every thread: one user at a time.
        shared = is_in_memory(make_url(self.url))
        self._serial: AbstractContextManager[Any] = threading.RLock() if shared else nullcontext()
        self._create_schema()

    @property
    def location(self) -> str:
        """Where the workspace lives, for the screen."""
        return describe_location(self.url)

    @contextmanager
    def _transaction(self, doing: str) -> Iterator[Connection]:
        with self._serial, workspace_errors(self.url, doing, self.busy_timeout), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def _reading(self, doing: str) -> Iterator[Connection]:
        with self._serial, workspace_errors(self.url, doing, self.busy_timeout), self.engine.connect() as connection:
            yield connection

    def _create_schema(self) -> None:
        # IF NOT EXISTS makes the first use safe when two sessions start at once.
        with self._transaction("create its tables") as connection:
            lock_schema(connection)  # PostgreSQL: IF NOT EXISTS is not atomic between sessions
            for table in metadata.sorted_tables:
                connection.execute(CreateTable(table, if_not_exists=True))
            for index in _INDEXES:
                connection.execute(CreateIndex(index, if_not_exists=True))

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # --- scenarios ---------------------------------------------------------------------

    def save_scenario(
        self,
        name: str,
        *,
        base_case: Mapping[str, Any],
        levers: Mapping[str, Any],
        case: Mapping[str, Any],
        answer: Mapping[str, Any],
    ) -> int:
        """Save a scenario under a new name; returns its id.

        ``answer`` is the solution's JSON form (``Solution.to_dict``).

        Raises
        ------
        ScenarioExistsError
            If a scenario of that name exists (it is kept as it was).
        ValueError
            If the name is empty.
        WorkspaceBusyError
            If another session held the write lock past the busy timeout (nothing was saved).
        """
        name = name.strip()
        if not name:
            msg = "a scenario needs a name; type one before saving"
            raise ValueError(msg)
        summary = {
            "allocations": {row["id"]: row["amount"] for row in answer["allocations"]},
            "annual_costs": {row["id"]: row["annual_cost"] for row in answer["allocations"]},
            "binding": [item["text"] for item in answer.get("binding", [])],
            "diagnosis": [item["text"] for item in answer.get("diagnosis", [])],
        }
        values = {
            "name": name,
            "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "case_name": str(case.get("name", "")),
            "currency": str(answer["currency"]),
            "status": str(answer["status"]),
            "requirement": float(answer["requirement"]),
            "total_cost": answer.get("total_cost"),
            "base_case_json": json.dumps(base_case, allow_nan=False),
            "levers_json": json.dumps(levers, allow_nan=False),
            "case_json": json.dumps(case, allow_nan=False),
            "summary_json": json.dumps(summary, allow_nan=False),
        }
        try:
            with self._transaction("save the scenario") as connection:
                result = connection.execute(insert(scenarios).values(**values))
        except IntegrityError:
            msg = f"a scenario named {name!r} is already saved; choose another name or delete that one first"
            raise ScenarioExistsError(msg) from None
        key = result.inserted_primary_key
        return int(key[0]) if key else 0

    def scenarios(self) -> list[Scenario]:
        """Every saved scenario, oldest first."""
        with self._reading("list the scenarios") as connection:
            rows = connection.execute(select(scenarios).order_by(scenarios.c.id)).mappings().all()
        return [
            Scenario(
                id=row["id"],
                name=row["name"],
                created_utc=row["created_utc"],
                case_name=row["case_name"],
                currency=row["currency"],
                status=row["status"],
                requirement=row["requirement"],
                total_cost=row["total_cost"],
                base_case=json.loads(row["base_case_json"]),
                levers=json.loads(row["levers_json"]),
                case=json.loads(row["case_json"]),
                summary=json.loads(row["summary_json"]),
            )
            for row in rows
        ]

    def delete_scenario(self, scenario_id: int) -> None:
        """Delete one saved scenario."""
        with self._transaction("delete the scenario") as connection:
            connection.execute(delete(scenarios).where(scenarios.c.id == scenario_id))

    # --- audit runs --------------------------------------------------------------------

    def record_run(self, record: Mapping[str, Any]) -> int:
        """Store one audit record (``optimizer.audit.audit_record``); returns its id."""
        answer = record["answer"]
        values = {
            "started_utc": record["started_utc"],
            "finished_utc": record["finished_utc"],
            "source": str(record["source"]),
            "case_name": str(record["case"].get("name", "")),
            "case_sha256": record["case_sha256"],
            "status": str(answer["status"]),
            "total_cost": answer.get("total_cost"),
            "record_json": json.dumps(record, ensure_ascii=False, default=str, allow_nan=False),
        }
        with self._transaction("record the run") as connection:
            result = connection.execute(insert(audit_runs).values(**values))
        key = result.inserted_primary_key
        return int(key[0]) if key else 0

    def runs(self, limit: int = 50) -> list[AuditRun]:
        """The most recent runs, newest first."""
        columns = [column for column in audit_runs.c if column.name != "record_json"]
        query = select(*columns).order_by(audit_runs.c.id.desc()).limit(limit)
        with self._reading("list the runs") as connection:
            rows = connection.execute(query).mappings().all()
        return [AuditRun(**dict(row)) for row in rows]

    def run_record(self, run_id: int) -> dict[str, Any]:
        """The full audit record of one run.

        Raises
        ------
        KeyError
            If there is no run with that id.
        """
        query = select(audit_runs.c.record_json).where(audit_runs.c.id == run_id)
        with self._reading("read the run") as connection:
            text = connection.execute(query).scalar_one_or_none()
        if text is None:
            msg = f"no audit run with id {run_id}"
            raise KeyError(msg)
        record: dict[str, Any] = json.loads(text)
        return record

    def count_runs(self) -> int:
        """How many runs are recorded."""
        with self._reading("count the runs") as connection:
            return int(connection.execute(select(func.count()).select_from(audit_runs)).scalar_one())
