"""The choices a caller makes about solving: which solver, how long a solve may take, which risk measure.

Kept apart from ``solve`` and ``risk_limits`` (which import PuLP, HiGHS and numpy) so that the
command line can build its options and its ``--help`` from them without those imports
(issue #12, "Speed the user feels"). Those modules re-export every name here.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from enum import StrEnum


class SolverName(StrEnum):
    """Solvers the optimiser can use."""

    HIGHS = "highs"
    CBC = "cbc"


class Measure(StrEnum):
    """Risk measures of the uncovered annual loss a limit can hold."""

    CVAR = "cvar"
    """CVaR at ``risk.level`` (Rockafellar-Uryasev): limit ``risk.max_cvar``."""
    EXPECTED = "expected"
    """Expected value over all years: limit ``risk.max_expected_uncovered``."""


DEFAULT_TIME_LIMIT = 60.0
"""Seconds any one solve may take unless the caller says otherwise (CLI ``--time-limit``)."""
MAX_TIME_LIMIT = 86_400
"""The longest time limit the CLI and the app accept: a day."""

_time_limit: contextvars.ContextVar[float] = contextvars.ContextVar("time_limit", default=DEFAULT_TIME_LIMIT)


@contextlib.contextmanager
def time_limit_for_solves(seconds: float | None) -> Iterator[None]:
    """Within this block, every solve that is given no limit of its own stops after ``seconds``.

    The CLI and the app wrap a whole command in it, so the diagnosis and fix searches of an
    infeasible case, the grid of ``rules`` and the re-solves for duals are all bounded. None
    keeps the current limit.
    """
    if seconds is None:
        yield
        return
    token = _time_limit.set(seconds)
    try:
        yield
    finally:
        _time_limit.reset(token)


def current_time_limit() -> float:
    """The time limit, in seconds, that a solve without its own limit gets."""
    return _time_limit.get()
