"""Opening the workspace database: where it is, how SQLite is set up, and its errors in words.

The workspace (``workspace.py``) is an SQLite file by default, or any SQLAlchemy URL in
``RESERVE_OPT_DB``. This module turns the setting into an engine and every database failure
into a ``WorkspaceError`` that says what could not be done and what to do, so the app shows a
message instead of a traceback:

- a setting that is not a path or a URL, a database without its driver, a file that cannot
  be created: ``WorkspaceError`` when the workspace is opened;
- another session holding the write lock for longer than the busy timeout:
  ``WorkspaceBusyError``, nothing written, the caller keeps what the user typed;
- an in-memory database (``sqlite://``, ``sqlite:///:memory:``): one database shared by every
  session of the process (SQLAlchemy's ``StaticPool``), without WAL, which it neither has nor
  needs; it is gone when the process ends.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

ENV_VAR = "RESERVE_OPT_DB"
DEFAULT_PATH = Path.home() / ".reserve-opt" / "workspace.sqlite"
BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another session's write to finish before giving up."""

_SETTING_HINT = (
    f"set {ENV_VAR} to a file path (such as ~/reserve/workspace.sqlite) or a SQLAlchemy URL "
    "(such as postgresql://user@host/reserve, with its driver installed)"
)


class WorkspaceError(RuntimeError):
    """The workspace cannot be opened or used; the message says why and what to do."""


class WorkspaceBusyError(WorkspaceError):
    """Another session held the write lock for longer than the busy timeout; nothing was written."""


def database_url(setting: str | None = None) -> str:
    """The SQLAlchemy URL for a path or URL (default: ``RESERVE_OPT_DB``, then the home folder)."""
    value = setting if setting is not None else os.environ.get(ENV_VAR, "")
    if not value.strip():
        value = str(DEFAULT_PATH)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def describe_location(url: str) -> str:
    """Where the workspace lives, for the screen: a file path, or the URL without its password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        # Not a URL SQLAlchemy reads: show it (shortened) with anything like a password hidden.
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)[:200]
    if parsed.get_backend_name() == "sqlite":
        return "(in memory: gone when the app stops)" if is_in_memory(parsed) else str(parsed.database)
    return parsed.render_as_string(hide_password=True)


def is_in_memory(url: URL) -> bool:
    """True for an SQLite database that lives in memory (``sqlite://``, ``:memory:``, ``mode=memory``)."""
    database = url.database or ""
    return url.get_backend_name() == "sqlite" and (
        database in ("", ":memory:") or url.query.get("mode") == "memory" or "mode=memory" in database
    )


def open_engine(url: str, busy_timeout: float) -> Engine:
    """An engine for ``url``; SQLite gets WAL (files), a busy timeout, and one shared memory database.

    Raises
    ------
    WorkspaceError
        If the URL cannot be read, its driver is not installed, or the file's folder cannot be made.
    """
    location = describe_location(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        msg = f"the workspace setting {location!r} is neither a file path nor a database URL; {_SETTING_HINT}"
        raise WorkspaceError(msg) from None
    options: dict[str, Any] = {}
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and is_in_memory(parsed):
        # One connection for the whole process: every session (thread) sees the same database.
        options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    elif sqlite:
        folder = Path(str(parsed.database)).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = error.strerror
            if isinstance(error, FileExistsError):
                reason = f"{error.filename} is a file, not a folder"
            msg = f"the workspace file {location} cannot be created: {reason or error}; {_SETTING_HINT}"
            raise WorkspaceError(msg) from None
        options["connect_args"] = {"timeout": busy_timeout, "check_same_thread": False}
    try:
        engine = create_engine(url, **options)
    except (ArgumentError, ImportError) as error:  # NoSuchModuleError is an ArgumentError
        msg = (
            f"the workspace {location} cannot be opened: its database driver is not available ({error}); "
            f"install the driver, or {_SETTING_HINT}"
        )
        raise WorkspaceError(msg) from None
    if sqlite:
        timeout_ms = int(busy_timeout * 1000)
        event.listen(engine, "connect", lambda connection, _record: _sqlite_pragmas(connection, timeout_ms))
    return engine


def _sqlite_pragmas(connection: Any, timeout_ms: int) -> None:
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
    _use_wal(cursor, timeout_ms)
    # NORMAL sync is corruption-safe in WAL mode (a power cut can lose only the last commits)
    # and keeps the audit insert of each slider move cheap.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _use_wal(cursor: Any, timeout_ms: int) -> None:
    """Put the file in WAL mode, so readers go on while one session writes.

    WAL is a property of the file, set once. Switching needs a moment when no other
    connection holds a lock, and SQLite does not wait for that through the busy timeout:
    when several sessions open a new file at once, retry (on "locked") for as long as the
    timeout. A database that cannot use WAL answers with the mode it keeps instead of an
    error (``memory`` for an in-memory database): that answer is final, so it is accepted.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() in ("wal", "memory"):
                return
            cursor.execute("PRAGMA journal_mode=WAL").fetchone()
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@contextlib.contextmanager
def workspace_errors(url: str, doing: str, busy_timeout: float) -> Iterator[None]:
    """Turn a database failure while ``doing`` something into a ``WorkspaceError`` in words.

    ``IntegrityError`` (a broken constraint, such as a duplicate name) passes through: the
    caller explains it in its own terms.
    """
    try:
        yield
    except IntegrityError:
        raise
    except DBAPIError as error:
        reason = str(error.orig) if error.orig is not None else str(error)
        if _is_lock_timeout(reason):
            msg = (
                f"the workspace is busy: another session has been writing to it for more than {busy_timeout:g} s, "
                f"so it could not {doing}; nothing was changed. Try again in a moment"
            )
            raise WorkspaceBusyError(msg) from None
        msg = f"the workspace ({describe_location(url)}) could not {doing}: {reason}"
        raise WorkspaceError(msg) from None
    except SQLAlchemyError as error:
        msg = f"the workspace ({describe_location(url)}) could not {doing}: {error}"
        raise WorkspaceError(msg) from None


def _is_lock_timeout(reason: str) -> bool:
    # SQLite: "database is locked" / "database table is locked" / SQLITE_BUSY; PostgreSQL:
    # "canceling statement due to lock timeout"; MySQL: "Lock wait timeout exceeded".
    text = reason.lower()
    return "locked" in text or "busy" in text or "lock timeout" in text or "lock wait timeout" in text
