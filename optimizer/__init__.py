"""reserve-opt: the cheapest compliant mix of cash, guarantees, insurance and parametric cover.

It meets a crypto exchange's liability-reserve requirement at the least annual cost.

The pipeline (``optimize``): check_case -> requirement_basis -> build_model -> solve ->
collect_solution -> verify_solution. See design/model.md for the mathematics.

The package is cut by the stages a reader follows, and imports run one way only, downwards::

    case        the case format, reading and checking it (and the rulebook file format)
      ^
    rules       the requirement R from a regime rulebook
      ^
    risk        incidents, loss scenarios and the risk of a mix
      ^
    coverage    the coverage LP and its pipeline: build, solve, collect, verify, diagnose
      ^
    plan        the multi-year transition plan over the one-year model
      ^
    workbench   what the CLI and the app do with answers: variants, sweeps, reports, exports
      ^
    cli         the ``reserve-opt`` command

A module may import from its own subpackage and from the layers below it, never from a layer
above; nothing in ``optimizer`` imports streamlit, and the app (``app.py``, ``app_pages/``,
``ui/``) never imports pulp or highspy. ``tests/test_layout.py`` checks all of this by parsing
every module's imports. This module re-exports the public API for the CLI, the app and users.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Where each public name lives. The names are imported on first use (PEP 562), so that
# ``import optimizer.cli`` for ``reserve-opt --help`` does not import pydantic, pulp and HiGHS.
_EXPORTS = {
    "Basis": "optimizer.rules.requirement",
    "Case": "optimizer.case.schema",
    "CaseError": "optimizer.case.errors",
    "Coverage": "optimizer.case.schema",
    "Kind": "optimizer.case.schema",
    "Problem": "optimizer.case.errors",
    "Solution": "optimizer.coverage.solution",
    "SolverError": "optimizer.coverage.pipeline",
    "SolverName": "optimizer.coverage.solve",
    "Status": "optimizer.coverage.solution",
    "case_from_bytes": "optimizer.case.loading",
    "check_case": "optimizer.case.checks",
    "load_case": "optimizer.case.loading",
    "optimal_cost": "optimizer.coverage.pipeline",
    "optimize": "optimizer.coverage.pipeline",
    "requirement_basis": "optimizer.rules.requirement",
    "verify_solution": "optimizer.coverage.verify",
}

if TYPE_CHECKING:
    from optimizer.case.checks import check_case
    from optimizer.case.errors import CaseError, Problem
    from optimizer.case.loading import case_from_bytes, load_case
    from optimizer.case.schema import Case, Coverage, Kind
    from optimizer.coverage.pipeline import SolverError, optimal_cost, optimize
    from optimizer.coverage.solution import Solution, Status
    from optimizer.coverage.solve import SolverName
    from optimizer.coverage.verify import verify_solution
    from optimizer.rules.requirement import Basis, requirement_basis


def __getattr__(name: str) -> Any:
    """Import a public name on first use (``from optimizer import optimize``)."""
    module = _EXPORTS.get(name)
    if module is None:
        msg = f"module 'optimizer' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "Basis",
    "Case",
    "CaseError",
    "Coverage",
    "Kind",
    "Problem",
    "Solution",
    "SolverError",
    "SolverName",
    "Status",
    "case_from_bytes",
    "check_case",
    "load_case",
    "optimal_cost",
    "optimize",
    "requirement_basis",
    "verify_solution",
]
