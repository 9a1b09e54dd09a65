"""optimize: the whole pipeline, top to bottom.

check_case (on loading) -> requirement_basis -> build_model -> solve -> collect (values,
duals) -> verify_solution. An infeasible case goes to diagnose instead. Nothing the solver
says is reported until verify_solution has re-checked it without the LP.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from optimizer.case.names import merged_spellings
from optimizer.case.schema import Case
from optimizer.case.terms import is_on_offer
from optimizer.coverage.collect import (
    collect_allocations,
    collect_decisions,
    collect_duals,
    collect_ladder,
    fix_integer_choices,
    price_solution,
)
from optimizer.coverage.diagnose import diagnose
from optimizer.coverage.model import build_model
from optimizer.coverage.rows import CoverageModel
from optimizer.coverage.solution import Solution, Status
from optimizer.coverage.solve import Outcome, SolverName, solve
from optimizer.coverage.verify import annual_cost, ladder_margin, verify_solution
from optimizer.rules.explain import breakdown_dict
from optimizer.rules.requirement import Basis, requirement_basis


class SolverError(RuntimeError):
    """The solver did not prove an optimal mix that passes verification; nothing is reported."""


def optimize(case: Case, solver: SolverName | str = SolverName.HIGHS, time_limit: float | None = None) -> Solution:
    """The cheapest mix of instruments that meets the case, explained and verified.

    Returns an OPTIMAL solution, or an INFEASIBLE one carrying a diagnosis and fixes.

    Raises
    ------
    SolverError
        If the solver stops without proof of optimality, or its mix fails verification.
    """
    solver = SolverName(solver)
    started = time.perf_counter()
    basis = requirement_basis(case)
    solved = _solve_verified(case, basis, solver, time_limit)
    if solved is None:
        return _infeasible(case, basis, solver, started)
    model, decisions = solved.model, solved.decisions
    duals, note = _duals(model, solver)
    prices = price_solution(model, decisions, duals)
    allocations = collect_allocations(case, basis.credit, decisions)
    margin, _ = ladder_margin(case, basis, decisions)
    return Solution(
        status=Status.OPTIMAL,
        case_name=case.name,
        currency=case.currency,
        coverage=str(case.coverage),
        requirement=basis.amount,
        total_cost=annual_cost(case, decisions),
        allocations=allocations,
        requirement_source=basis.source,
        excluded=dict(basis.excluded),
        requirement_breakdown=breakdown_dict(case, basis),
        binding=prices.binding,
        marginal_cost_of_requirement=prices.marginal_cost_of_requirement,
        duals={name: value for name, value in duals.items() if not name.startswith("ladder_total_")},
        duals_note=note,
        not_bought=prices.not_bought,
        not_on_offer=tuple(item.id for item in case.instruments if not is_on_offer(item)),
        merged_counterparties=merged_spellings(item.counterparty for item in case.instruments),
        ladder=collect_ladder(case, basis.credit, decisions, basis.amount),
        face_total=sum(item.credited for item in allocations),
        ladder_minimum_margin=margin,
        solver=str(solver),
        is_mip=model.is_mip,
        timings={"build": solved.build_seconds, "solve": solved.solve_seconds, "total": time.perf_counter() - started},
        verified=True,
    )


def optimal_cost(case: Case, solver: SolverName | str = SolverName.HIGHS) -> float | None:
    """Optimal annual cost of a case, or None when it is infeasible (no diagnosis, no prices)."""
    basis = requirement_basis(case)
    solved = _solve_verified(case, basis, SolverName(solver), None)
    return None if solved is None else annual_cost(case, solved.decisions)


@dataclass(frozen=True)
class _Solved:
    model: CoverageModel
    decisions: dict[str, float]
    build_seconds: float
    solve_seconds: float


def _solve_verified(case: Case, basis: Basis, solver: SolverName, time_limit: float | None) -> _Solved | None:
    """Build, solve, collect and verify; None when the case is infeasible.

    Raises SolverError unless the solver proved an optimum that passes verify_solution.
    """
    started = time.perf_counter()
    model = build_model(case, basis)
    built = time.perf_counter()
    run = solve(model, solver, time_limit)
    if run.outcome is Outcome.INFEASIBLE:
        return None
    if run.outcome is not Outcome.OPTIMAL:
        msg = f"{solver} stopped without proving an optimal mix ({run.detail}); nothing is reported"
        raise SolverError(msg)
    decisions = collect_decisions(model)
    total_cost = (model.problem.objective.value() or 0.0) * model.scale
    problems = verify_solution(case, basis, decisions, total_cost)
    if problems:
        msg = f"{solver} returned a mix that fails the case's rules: " + "; ".join(problems)
        raise SolverError(msg)
    return _Solved(model, decisions, built - started, run.seconds)


def _duals(model: CoverageModel, solver: SolverName) -> tuple[dict[str, float], str]:
    """Row duals, and what they mean; a MILP's come from the LP with its integer choices fixed."""
    if not model.is_mip:
        return collect_duals(model), (
            "LP duals; with ties (degenerate optimum) another solver may report different valid duals"
        )
    fix_integer_choices(model)
    solve(model, solver)
    return collect_duals(model), (
        "MILP: duals are those of the LP with the integer choices fixed; no break-even price "
        "is given for instruments with whole-unit, minimum-line or all-or-nothing terms"
    )


def _infeasible(case: Case, basis: Basis, solver: SolverName, started: float) -> Solution:
    found = diagnose(case, basis, solver, lambda changed: optimal_cost(changed, solver))
    zeros = {item.id: 0.0 for item in case.instruments}
    return Solution(
        status=Status.INFEASIBLE,
        case_name=case.name,
        currency=case.currency,
        coverage=str(case.coverage),
        requirement=basis.amount,
        total_cost=None,
        allocations=collect_allocations(case, basis.credit, zeros),
        requirement_source=basis.source,
        excluded=dict(basis.excluded),
        requirement_breakdown=breakdown_dict(case, basis),
        diagnosis=found.shortfalls,
        fixes=found.fixes,
        fix_search=found.search,
        merged_counterparties=merged_spellings(item.counterparty for item in case.instruments),
        solver=str(solver),
        timings={"total": time.perf_counter() - started},
    )
