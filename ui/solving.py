"""Solve a case once per session; record a run in the workspace when the user asks.

A per-session memo keyed by the case's canonical JSON (and the time limit) means a re-render
(a page switch, a widget that does not change the case, a slider moved back) never re-solves.
Behind it, answers are shared by every session of the server (``st.cache_data``, same key):
a fresh session of an example another session has solved solves nothing (issue #12).
A run enters the workspace's audit trail only when the user asks for it (the Optimise page's
"Record this run") and on every export, not on each slider tick or half-typed value. The
workspace's engine is shared by all sessions (``st.cache_resource``); no solver model is ever
shared between sessions.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import datetime
from typing import Any

import streamlit as st

from optimizer import Case, Solution, SolverError, optimize
from optimizer.coverage.solve import DEFAULT_TIME_LIMIT, MAX_TIME_LIMIT
from optimizer.pricing.signals import optimize_priced
from optimizer.workbench.audit import audit_record, utc_now
from optimizer.workbench.workspace import Workspace, WorkspaceError, database_url
from ui.i18n import t
from ui.state import ROOT, case_json, case_source

_MEMO = "_solutions"
_TIMES = "_solve_times"
TIME_LIMIT_KEY = "solver_time_limit"
"""Session key of the sidebar's solver time limit (seconds)."""
_WORKSPACE_ERROR = "_workspace_error"
_MEMO_SIZE = 128
"""Solutions kept per session: enough for a slider's whole range and back."""
_SHARED_SIZE = 256
"""Solutions shared by all sessions of the server (each a few tens of kB)."""

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _open_workspace(url: str) -> Workspace:
    # Keyed by URL: one engine per database, shared by every session of this server.
    return Workspace(url)


def workspace() -> Workspace | None:
    """The workspace of this server (path or URL from RESERVE_OPT_DB), created on first use.

    None when it cannot be opened (the reason is kept for ``workspace_error``): the app
    still optimises, it only cannot save.
    """
    try:
        return _open_workspace(database_url())
    except Exception as error:  # noqa: BLE001 - a bad path or URL must not stop the app
        st.session_state[_WORKSPACE_ERROR] = (
            str(error) if isinstance(error, WorkspaceError) else f"{type(error).__name__}: {error}"
        )
        return None


def workspace_error() -> str:
    """Why the workspace could not be used, if it could not ("" otherwise)."""
    return str(st.session_state.get(_WORKSPACE_ERROR, ""))


def solve(case: Case, *, exact_prices: bool = True) -> Solution | SolverError:
    """The answer to a case (memoised per session), or the solver's failure to show the user.

    ``exact_prices=False`` skips the re-solves that make break-even prices exact (the What-if
    page shows the mix and what binds on every slider move, not prices; keeps a move fast).
    """
    data = case.model_dump(mode="json")
    key = case_json(data)
    limit = time_limit()
    # A raised time limit must re-solve a case that ran out of time.
    memo_key = f"{limit:g}|{'exact' if exact_prices else 'duals'}|{key}"
    memo: OrderedDict[str, Solution | SolverError] = st.session_state.setdefault(_MEMO, OrderedDict())
    if memo_key in memo:
        memo.move_to_end(memo_key)
        return memo[memo_key]
    result: Solution | SolverError
    try:
        result, started, finished = _shared_answer(memo_key, case, limit, exact_prices)
    except SolverError as error:
        result = error
    else:
        st.session_state.setdefault(_TIMES, {})[key] = (started, finished)
    memo[memo_key] = result
    while len(memo) > _MEMO_SIZE:
        oldest, _ = memo.popitem(last=False)
        st.session_state.get(_TIMES, {}).pop(oldest.split("|", 2)[2], None)
    return result


@st.cache_data(show_spinner=False, max_entries=_SHARED_SIZE)
def _shared_answer(
    memo_key: str, _case: Case, _limit: float, _exact_prices: bool
) -> tuple[Solution, datetime, datetime]:
    """The answer and when it was solved; keyed by ``memo_key`` alone, which holds the rest.

    ``st.cache_data`` gives each session its own copy. A SolverError is raised, never cached:
    another session (or a longer time limit) tries again.
    """
    started = utc_now()
    if _exact_prices:
        result = optimize_priced(_case, time_limit=_limit, base_dir=ROOT)  # events read from the app folder
    else:
        result = optimize(_case, time_limit=_limit, base_dir=ROOT)
    return result, started, utc_now()


def time_limit() -> float:
    """Seconds each solve may take in this session (the sidebar's setting, 60 by default)."""
    return float(st.session_state.get(TIME_LIMIT_KEY, DEFAULT_TIME_LIMIT))


def time_limit_input() -> None:
    """The sidebar's solver time limit: every solve of the session stops after it."""
    st.number_input(
        t("sidebar.time_limit"),
        min_value=1,
        max_value=MAX_TIME_LIMIT,
        value=int(DEFAULT_TIME_LIMIT),
        step=10,
        key=TIME_LIMIT_KEY,
        help=t("sidebar.time_limit_help"),
    )


def run_record(case: Case, solution: Solution, why: str) -> dict[str, Any]:
    """The audit record of the answer on screen; ``why`` says what recorded it ("export: CSV")."""
    key = case_json(case.model_dump(mode="json"))
    started, finished = st.session_state.get(_TIMES, {}).get(key) or (utc_now(), utc_now())
    return audit_record(case, key.encode("utf-8"), solution, started, finished,
                        f"reserve-opt app ({why}): {case_source()}")


def record_run(case: Case, solution: Solution, why: str) -> int | None:
    """Put the answer on screen in the workspace's audit trail; its run id, or None if it cannot."""
    store = workspace()
    if store is None:
        return None
    try:
        return store.record_run(run_record(case, solution, why))
    except Exception as error:  # noqa: BLE001 - the answer must still show if the database is unavailable
        log.warning("could not record the run in the workspace: %s", error)
        st.session_state[_WORKSPACE_ERROR] = f"{type(error).__name__}: {error}"
        return None
