"""Work in progress that survives a reload: the app's autosaved drafts, one per session key.

The app keeps a random session key in the page's URL (``?s=...``) and saves the case being
edited, the what-if levers and the page under that key after every change, in the same
database as the workspace. Reloading the page, or opening the URL again after closing the
tab, brings the work back. Drafts live in their own table, created on first use beside the
workspace's, so a workspace made by an older version gains it without a migration.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, MetaData, String, Table, Text, delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import CreateTable

from optimizer.workbench.ddl import lock_schema

_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_DRAFT_BYTES = 2_000_000
"""Largest draft stored (the app's uploads are at most 1 MB); a larger one is refused."""

_metadata = MetaData()
drafts = Table(
    "drafts",
    _metadata,
    Column("session_key", String(64), primary_key=True),
    Column("updated_utc", String(40), nullable=False),
    Column("case_name", Text, nullable=False),
    Column("page", String(200), nullable=False),
    Column("state_json", Text, nullable=False, doc="Case data, its source and label, levers."),
)


def valid_key(key: object) -> bool:
    """True for a session key this store accepts (8 to 64 URL-safe characters)."""
    return isinstance(key, str) and _KEY.fullmatch(key) is not None


@dataclass(frozen=True)
class Draft:
    """One session's saved work."""

    session_key: str
    updated_utc: str
    case_name: str
    page: str
    state: dict[str, Any]


class DraftStore:
    """The drafts table of a workspace database (any SQLAlchemy engine)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with engine.begin() as connection:
            lock_schema(connection)
            connection.execute(CreateTable(drafts, if_not_exists=True))

    def save(self, key: str, state: dict[str, Any], case_name: str, page: str) -> None:
        """Store the work of one session, replacing what was saved under its key.

        Raises
        ------
        ValueError
            If the key is malformed or the draft is over ``MAX_DRAFT_BYTES``.
        """
        if not valid_key(key):
            msg = f"session key {key[:80]!r} is not 8 to 64 letters, digits, '-' or '_'"
            raise ValueError(msg)
        text = json.dumps(state, ensure_ascii=False, sort_keys=True, allow_nan=False)
        if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
            msg = f"the work in progress is over {MAX_DRAFT_BYTES:,} bytes and is not autosaved"
            raise ValueError(msg)
        values = {
            "session_key": key,
            "updated_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "case_name": case_name[:200],
            "page": page[:200],
            "state_json": text,
        }
        # Delete and insert in one transaction: an upsert every SQLAlchemy backend runs alike.
        # Two tabs on one key saving at the same moment can collide on the key; the later
        # save is tried once more (it is the newer work).
        for attempt in (1, 2):
            try:
                with self.engine.begin() as connection:
                    connection.execute(delete(drafts).where(drafts.c.session_key == key))
                    connection.execute(insert(drafts).values(**values))
                return
            except IntegrityError:
                if attempt == 2:
                    raise

    def load(self, key: str) -> Draft | None:
        """The work saved under ``key``, or None (also for a malformed key)."""
        if not valid_key(key):
            return None
        with self.engine.connect() as connection:
            row = connection.execute(select(drafts).where(drafts.c.session_key == key)).mappings().first()
        return None if row is None else _draft(row)

    def recent(self, limit: int = 5) -> list[Draft]:
        """The most recently saved drafts, newest first."""
        query = select(drafts).order_by(drafts.c.updated_utc.desc()).limit(limit)
        with self.engine.connect() as connection:
            return [_draft(row) for row in connection.execute(query).mappings().all()]

    def discard(self, key: str) -> None:
        """Forget the draft of one session."""
        with self.engine.begin() as connection:
            connection.execute(delete(drafts).where(drafts.c.session_key == key))


def _draft(row: Any) -> Draft:
    return Draft(row["session_key"], row["updated_utc"], row["case_name"], row["page"], json.loads(row["state_json"]))
