"""solve: run HiGHS (in process, through highspy) or CBC, and say honestly what was proven.

Every PuLP-version-specific call is kept here (solver-notes.md: PuLP 3.3.2 on Python 3.11;
PuLP 4 changes ``solve``'s return value and drops the bundled CBC).
"""

from __future__ import annotations

import contextlib
import math
import os
import struct
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import pulp

from optimizer.coverage.options import DEFAULT_TIME_LIMIT as DEFAULT_TIME_LIMIT
from optimizer.coverage.options import MAX_TIME_LIMIT as MAX_TIME_LIMIT
from optimizer.coverage.options import SolverName as SolverName
from optimizer.coverage.options import current_time_limit as current_time_limit
from optimizer.coverage.options import time_limit_for_solves as time_limit_for_solves
from optimizer.coverage.rows import CoverageModel


class Outcome(StrEnum):
    """What a solver run proved."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    NOT_SOLVED = "not_solved"
    TIME_LIMIT = "time_limit"


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
# Rows are held in money / R (ladder rows in money / max(b, 1e-6 R)), so HiGHS's default
# feasibility tolerance of 1e-7 would let a row miss by 1e-7 R of money: ¥1m against R =
# ¥10tn. 1e-10 (the least HiGHS accepts) keeps the solver ten times inside the money
# tolerance verify_solution applies (max(1, 1e-9 R), issue #8 item 2). The dual tolerance
# (cost per unit of money) is tightened alike, so a price of 1e-9 is not read as zero.
_PRIMAL_FEASIBILITY_TOLERANCE = 1e-10
_DUAL_FEASIBILITY_TOLERANCE = 1e-10

def solve(model: CoverageModel, solver: SolverName = SolverName.HIGHS, time_limit: float | None = None) -> SolveRun:
    """Solve ``model`` in place and report what was proven.

    Every run has a time limit: ``time_limit``, else the one set by ``time_limit_for_solves``
    (``DEFAULT_TIME_LIMIT`` by default). A run stopped by it is reported as TIME_LIMIT, and
    one stopped by any other limit as NOT_SOLVED, even when PuLP labels it "Optimal"
    (solver-notes.md, "Traps").
    """
    limit = current_time_limit() if time_limit is None else time_limit
    start = time.perf_counter()
    if solver is SolverName.HIGHS:
        outcome, detail = _solve_highs(model, limit)
    else:
        outcome, detail = _solve_cbc(model, limit)
    seconds = time.perf_counter() - start
    if outcome is Outcome.NOT_SOLVED and seconds >= limit:  # CBC has no status of its own for it
        outcome = Outcome.TIME_LIMIT
    if outcome is Outcome.TIME_LIMIT:
        detail = f"stopped at the time limit of {limit:g} s"
    return SolveRun(outcome, solver, detail, seconds)


def _highs_command(time_limit: float, **options: object) -> pulp.HiGHS:
    return pulp.HiGHS(
        msg=False,
        timeLimit=time_limit,
        gapRel=_MIP_REL_GAP,
        gapAbs=_MIP_ABS_GAP,
        mip_feasibility_tolerance=_MIP_FEASIBILITY_TOLERANCE,
        primal_feasibility_tolerance=_PRIMAL_FEASIBILITY_TOLERANCE,
        dual_feasibility_tolerance=_DUAL_FEASIBILITY_TOLERANCE,
        **options,
    )


def _solve_highs(model: CoverageModel, time_limit: float) -> tuple[Outcome, str]:
    import highspy

    _silence_highs_banner()
    model.problem.solve(_highs_command(time_limit))
    status = model.problem.solverModel.getModelStatus()
    statuses = highspy.HighsModelStatus
    if status == statuses.kOptimal:
        return Outcome.OPTIMAL, "Optimal"
    if status == statuses.kInfeasible:
        return Outcome.INFEASIBLE, "Infeasible"
    if status == statuses.kUnbounded:
        return Outcome.UNBOUNDED, "Unbounded"
    if status == statuses.kTimeLimit:
        return Outcome.TIME_LIMIT, "Time limit reached"
    if status == statuses.kUnboundedOrInfeasible:
        # Our objective is bounded below (costs >= 0), so this means infeasible; HiGHS says
        # it when presolve stops early. Confirm by re-solving without presolve.
        model.problem.solve(_highs_command(time_limit, presolve="off"))
        status = model.problem.solverModel.getModelStatus()
        if status == statuses.kInfeasible:
            return Outcome.INFEASIBLE, "Infeasible"
        if status == statuses.kTimeLimit:
            return Outcome.TIME_LIMIT, "Time limit reached"
    return Outcome.NOT_SOLVED, str(model.problem.solverModel.modelStatusToString(status))


def _solve_cbc(model: CoverageModel, time_limit: float) -> tuple[Outcome, str]:
    # CBC's solution file, which PuLP reads, prints 8 significant digits: 5e-9 of R, more
    # than the money tolerance of verify_solution (1e-9 R). CBC's binary saveSolution file
    # holds full doubles; it is read back over PuLP's values (_read_cbc_solution).
    handle, saved = tempfile.mkstemp(suffix=".cbcsol")
    os.close(handle)
    try:
        with warnings.catch_warnings():
            # PuLP 3.x warns that the bundled CBC goes away in 4.0; we pin 3.3.2 (solver-notes.md).
            warnings.simplefilter("ignore", DeprecationWarning)
            # CBC takes whole seconds; round up so a limit under one second is not "no limit".
            seconds = max(1, math.ceil(time_limit)) if math.isfinite(time_limit) else None
            command = _CbcSavingSolution(
                Path(saved),
                msg=False,
                timeLimit=seconds,
                gapRel=_MIP_REL_GAP,
                gapAbs=_MIP_ABS_GAP,
                options=[f"primalT {_PRIMAL_FEASIBILITY_TOLERANCE}", f"dualT {_DUAL_FEASIBILITY_TOLERANCE}"],
            )
        status = model.problem.solve(command)
        words = pulp.LpStatus[status]
        solution = model.problem.sol_status
        if status == pulp.LpStatusOptimal and solution == pulp.LpSolutionOptimal:
            _read_cbc_solution(model.problem, Path(saved))
            return Outcome.OPTIMAL, words
    finally:
        Path(saved).unlink(missing_ok=True)
    if status == pulp.LpStatusInfeasible:
        return Outcome.INFEASIBLE, words
    if status == pulp.LpStatusUnbounded:
        return Outcome.UNBOUNDED, words
    return Outcome.NOT_SOLVED, f"{words} (solution status {solution})"


class _CbcSavingSolution(pulp.PULP_CBC_CMD):  # type: ignore[misc]
    """PuLP's CBC command that also saves CBC's binary solution (full doubles) to ``saved``.

    PuLP 3.3.2 writes its options before its own ``-solve`` and then asks for the text
    solution; ``saveSolution`` saves what is solved so far, and a second ``-solve`` from a
    solved model has been seen to report a feasible LP "infeasible". So the options end
    with the whole sequence (solve, save both files) and ``-quit``. PuLP names the text file
    in ``create_tmp_files``, just before it reads the options: that is where it is learnt.
    The paths go on a command line PuLP splits at spaces; the system's temporary directory
    (/tmp on Linux) has none.
    """

    def __init__(self, saved: Path, options: list[str], **settings: Any) -> None:
        super().__init__(options=options, **settings)
        self._saved = saved
        self._base_options = list(options)

    def create_tmp_files(self, name: str, *args: str) -> Iterator[str]:
        paths = list(super().create_tmp_files(name, *args))
        text = dict(zip(args, paths, strict=True)).get("sol")
        if text is not None:
            finish = f"solve -saveSolution {self._saved} -printingOptions all -solution {text} -quit"
            self.options = [*self._base_options, finish]
        return iter(paths)


def _read_cbc_solution(problem: pulp.LpProblem, path: Path) -> None:
    """Replace PuLP's 8-digit values and duals with the full doubles of CBC's saveSolution file.

    The file (Clp's saveSolution) holds: rows and columns (two ints), the objective, then row
    activities, row duals, column values and reduced costs (doubles), in the order of the MPS
    file PuLP wrote (``problem._constraints``, ``problem._variables``). Used only if it agrees
    with what PuLP read to 1e-7; otherwise PuLP's values stand and verification judges them.
    """
    data = path.read_bytes() if path.exists() else b""
    if len(data) < 16:
        return
    rows, columns = struct.unpack("ii", data[:8])
    variables = list(problem._variables)
    constraints = list(problem._constraints.values())
    numbers = np.frombuffer(data, dtype=np.float64, offset=16)
    if rows != len(constraints) or columns != len(variables) or len(numbers) != 2 * rows + 2 * columns:
        return
    duals = numbers[rows : 2 * rows]
    values = numbers[2 * rows : 2 * rows + columns]
    read = np.array([var.varValue or 0.0 for var in variables])
    if not np.allclose(values, read, rtol=1e-7, atol=1e-12):
        return
    for var, value in zip(variables, values, strict=True):
        var.varValue = float(value)
    for constraint, dual in zip(constraints, duals, strict=True):
        if constraint.pi is not None:
            constraint.pi = float(dual)


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
