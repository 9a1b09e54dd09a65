"""Creating the workspace's tables safely when several sessions start at once.

``CREATE TABLE IF NOT EXISTS`` is not atomic on PostgreSQL: two sessions creating the same
table at the same moment can both pass the check and one then fails on the catalogue's unique
index (``pg_type_typname_nsp_index``). Taking a transaction-scoped advisory lock first makes
the sessions create the schema one after the other; the lock is released at commit. SQLite
needs nothing (its writers are serialised by the database file's lock).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

SCHEMA_LOCK = 0x7265_736F
"""The advisory lock key of reserve-opt's schema creation (the bytes of "reso")."""


def lock_schema(connection: Any) -> None:
    """Wait until no other session is creating the schema (PostgreSQL); a no-op elsewhere."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
