"""reserve-opt: the cheapest compliant mix of cash, guarantees, insurance and parametric cover.

It meets a crypto exchange's liability-reserve requirement at the least annual cost.

The pipeline (``optimize``): check_case -> requirement_basis -> build_model -> solve ->
collect_solution -> verify_solution. See design/model.md for the mathematics.
"""

from optimizer.case import Case, Coverage, Kind
from optimizer.checks import check_case
from optimizer.errors import CaseError, Problem
from optimizer.loading import case_from_bytes, load_case
from optimizer.pipeline import SolverError, optimal_cost, optimize
from optimizer.requirement import Basis, requirement_basis
from optimizer.solution import Solution, Status
from optimizer.solve import SolverName
from optimizer.verify import verify_solution

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
