"""solve: run HiGHS (in process, through highspy) or CBC, and say honestly what was proven.

Every PuLP-version-specific call is kept here (solver-notes.md: PuLP 3.3.2 on Python 3.11;
PuLP 4 changes ``solve``'s return value and drops the bundled CBC).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

import pulp

from optimizer.coverage.rows import CoverageModel


class SolverName(StrEnum):
    """Solvers the optimiser can use."""

    HIGHS = "highs"
    CBC = "cbc"


class Outcome(StrEnum):
    """What a solver run proved."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NOT_SOLVED = "not_solved"


@dataclass(frozen=True)
class SolveRun:
    """The outcome of one solver run."""

    outcome: Outcome
    solver: SolverName
    detail: str
    """The solver's own status words."""
    seconds: float


# A MIP gap of zero would make small MILPs prove optimality exhaustively; 1e-7 relative is
# far below any money figure we print. The objective is in units of R (about 0.01-0.1), so
# HiGHS's absolute defaults of 1e-6 (mip_abs_gap, and mip_feasibility_tolerance, which also
# decides whether a new incumbent is an improvement) let a MILP stop up to 1e-6 x R of money
# above the optimum, around 1e-5 of the cost, and still say "Optimal" (tests/test_invariants.py,
# loosening a cap). Both are tightened so the relative gap is what decides.
_MIP_REL_GAP = 1e-7
_MIP_ABS_GAP = 0.0
_MIP_FEASIBILITY_TOLERANCE = 1e-9


def solve(model: CoverageModel, solver: SolverName = SolverName.HIGHS, time_limit: float | None = None) -> SolveRun:
    """Solve ``model`` in place and report what was proven.

    A run stopped by a time or iteration limit is reported as NOT_SOLVED even when PuLP
    labels it "Optimal" (solver-notes.md, "Traps").
    """
    start = time.perf_counter()
    if solver is SolverName.HIGHS:
        outcome, detail = _solve_highs(model, time_limit)
    else:
        outcome, detail = _solve_cbc(model, time_limit)
    return SolveRun(outcome, solver, detail, time.perf_counter() - start)


def _solve_highs(model: CoverageModel, time_limit: float | None) -> tuple[Outcome, str]:
    import highspy

    _silence_highs_banner()
    command = pulp.HiGHS(
        msg=False,
        timeLimit=time_limit,
        gapRel=_MIP_REL_GAP,
        gapAbs=_MIP_ABS_GAP,
        mip_feasibility_tolerance=_MIP_FEASIBILITY_TOLERANCE,
    )
    model.problem.solve(command)
    status = model.problem.solverModel.getModelStatus()
    statuses = highspy.HighsModelStatus
    if status == statuses.kOptimal:
        return Outcome.OPTIMAL, "Optimal"
    if status == statuses.kInfeasible:
        return Outcome.INFEASIBLE, "Infeasible"
    if status == statuses.kUnbounded:
        return Outcome.UNBOUNDED, "Unbounded"
    if status == statuses.kUnboundedOrInfeasible:
        # Our objective is bounded below (costs >= 0), so this means infeasible; HiGHS says
        # it when presolve stops early. Confirm by re-solving without presolve.
        model.problem.solve(pulp.HiGHS(msg=False, timeLimit=time_limit, presolve="off"))
        if model.problem.solverModel.getModelStatus() == statuses.kInfeasible:
            return Outcome.INFEASIBLE, "Infeasible"
    return Outcome.NOT_SOLVED, str(model.problem.solverModel.modelStatusToString(status))


def _solve_cbc(model: CoverageModel, time_limit: float | None) -> tuple[Outcome, str]:
    with warnings.catch_warnings():
        # PuLP 3.x warns that the bundled CBC goes away in 4.0; we pin 3.3.2 (solver-notes.md).
        warnings.simplefilter("ignore", DeprecationWarning)
        command = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, gapRel=_MIP_REL_GAP, gapAbs=_MIP_ABS_GAP)
    status = model.problem.solve(command)
    words = pulp.LpStatus[status]
    solution = model.problem.sol_status
    if status == pulp.LpStatusOptimal and solution == pulp.LpSolutionOptimal:
        return Outcome.OPTIMAL, words
    if status == pulp.LpStatusInfeasible:
        return Outcome.INFEASIBLE, words
    if status == pulp.LpStatusUnbounded:
        return Outcome.UNBOUNDED, words
    return Outcome.NOT_SOLVED, f"{words} (solution status {solution})"


_banner_silenced = False


def _silence_highs_banner() -> None:
    """Construct HiGHS once with stdout pointed at /dev/null.

    HiGHS prints a copyright banner on stdout once per process, from C++, at its first
    construction; that would corrupt ``--format json``.
    """
    global _banner_silenced
    if _banner_silenced:
        return
    import highspy

    with _stdout_to_devnull():
        highspy.Highs()  # type: ignore[no-untyped-call]
    _banner_silenced = True


@contextlib.contextmanager
def _stdout_to_devnull() -> Iterator[None]:
    try:
        sys.stdout.flush()
        fd = 1
        saved = os.dup(fd)
    except OSError:  # no real stdout (some embedded hosts): nothing to protect
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
