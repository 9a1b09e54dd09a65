"""The errors a ``reserve-opt`` command is refused with: what it says, and its exit code.

``optimizer.cli.main`` turns these into exit 2 (the case, a data file, the command line or an
output path is wrong) or exit 4 (no verified optimum); any other exception is a fault of ours
and keeps its traceback. An error's class is looked up only in a module already imported (one
never imported cannot have raised it), so a refusal imports nothing: the commands import what
they need when they run (issue #12, start-up time).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from optimizer.workbench.outcomes import error_object, invalid_object

EXIT_INVALID, EXIT_SOLVER = 2, 4

_INVALID_DATA = (  # data/regimes/, data/loss-models/, output files: said as they are, exit 2
    ("optimizer.case.rulebook", "RulebookError"),
    ("optimizer.risk.loss_models", "LossModelError"),
    ("optimizer.workbench.files", "OutputFileError"),
)


@dataclass(frozen=True)
class Refusal:
    """Why a command stopped: the exit code, the message for stderr, the JSON object for stdout."""

    code: int
    message: str
    document: dict[str, Any]


def refusal(error: Exception) -> Refusal | None:
    """The refusal ``error`` stands for; None when it is none of the errors a user can fix."""
    loaded = sys.modules
    if "optimizer.case.errors" in loaded:
        from optimizer.case.errors import CaseError

        if isinstance(error, CaseError):
            problems = [str(p) for p in error.problems]
            return Refusal(EXIT_INVALID, error.describe(), invalid_object(problems, error.source))
    if "optimizer.coverage.pipeline" in loaded:
        from optimizer.coverage.pipeline import SolverError

        if isinstance(error, SolverError):
            return Refusal(EXIT_SOLVER, f"reserve-opt: {error}", error_object(str(error)))
    if "optimizer.workbench.rule_grid" in loaded:
        from optimizer.workbench.rule_grid import VaryError

        if isinstance(error, VaryError):
            return Refusal(EXIT_INVALID, f"reserve-opt rules: {error}", invalid_object([str(error)]))
    for module, name in _INVALID_DATA:
        if module in loaded and isinstance(error, getattr(loaded[module], name)):
            return Refusal(EXIT_INVALID, f"reserve-opt: {error}", invalid_object([str(error)]))
    return None
