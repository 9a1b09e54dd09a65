"""The audit record: a JSON document a regulator could file.

It holds the case exactly as read (and the SHA-256 of its bytes), the answer, the duals, the
solver and package versions, and when the run started and finished.
"""

from __future__ import annotations

import hashlib
import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from optimizer.case.schema import Case
from optimizer.coverage.solution import Solution

_PACKAGES = ("reserve-opt", "pulp", "highspy", "pydantic", "pandas", "pyyaml")


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape the answer."""
    versions = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def audit_record(
    case: Case, case_bytes: bytes, solution: Solution, started: datetime, finished: datetime, source: str
) -> dict[str, Any]:
    """Everything needed to reproduce and check one run."""
    return {
        "record": "reserve-opt audit",
        "source": source,
        "case_sha256": hashlib.sha256(case_bytes).hexdigest(),
        "case": case.model_dump(mode="json"),
        "answer": solution.to_dict(),
        "duals": dict(solution.duals),
        "duals_note": solution.duals_note,
        "solver": solution.solver,
        "versions": package_versions(),
        "command": sys.argv,
        "started_utc": started.isoformat(),
        "finished_utc": finished.isoformat(),
    }


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)
