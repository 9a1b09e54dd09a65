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

from optimizer.case.checks import check_case
from optimizer.case.errors import CaseError, Problem
from optimizer.case.loading import case_from_bytes, load_case
from optimizer.case.schema import Case, Coverage, Kind
from optimizer.coverage.pipeline import SolverError, optimal_cost, optimize
from optimizer.coverage.solution import Solution, Status
from optimizer.coverage.solve import SolverName
from optimizer.coverage.verify import verify_solution
from optimizer.rules.requirement import Basis, requirement_basis

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
