"""Shared helpers for the optimizer's tests (imported by name: ``from conftest import ...``)."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from optimizer import Solution


@pytest.fixture(autouse=True)
def _keep_main_module() -> Iterator[None]:
    """Put back ``sys.modules["__main__"]`` after each test.

    Streamlit's AppTest runs app.py as ``__main__`` and leaves it there; every process started
    later with multiprocessing's spawn (a dask LocalCluster's workers, a Pool) then re-runs
    app.py outside Streamlit, dies, and is restarted for ever.
    """
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


def decisions_of(solution: Solution) -> dict[str, float]:
    """The returned mix in each decision's own unit: share, units, or amount (verify_solution's input)."""
    decisions = {}
    for item in solution.allocations:
        if item.share is not None:
            decisions[item.id] = item.share
        elif item.units is not None:
            decisions[item.id] = item.units
        else:
            decisions[item.id] = item.amount
    return decisions


def costs_agree(first: float, second: float, requirement: float, rel: float = 1e-6) -> bool:
    """Two annual costs are equal to ``rel`` relative, plus a hair of R (solver tolerance) and a cent."""
    return math.isclose(first, second, rel_tol=rel, abs_tol=1e-9 * requirement + 0.01)


def cost_at_most(first: float, second: float, requirement: float) -> bool:
    """``first`` <= ``second`` up to the tolerance of ``costs_agree``."""
    return first <= second or costs_agree(first, second, requirement)


def requirement_of(data: dict[str, Any]) -> float:
    """R of a raw case that states it directly."""
    return float(data["requirement"]["amount"])


# --- the app (AppTest): each test gets its own workspace file and a fresh session -----------


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "workspace.sqlite"
    monkeypatch.setenv("RESERVE_OPT_DB", str(path))
    return path


@pytest.fixture
def app(db):
    from apptest_helpers import new_session

    return new_session()
