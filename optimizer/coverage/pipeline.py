"""optimize: the whole pipeline, top to bottom.

check_case (on loading) -> requirement_basis -> build_model -> solve -> [enforce_risk_limits]
-> collect (values, duals) -> verify_solution [and verify_risk_limits]. An infeasible case goes
to diagnose instead (diagnose_risk when only the risk limits cannot be met). Nothing the solver
says is reported until verify_solution has re-checked it without the LP; the risk limits are
re-checked over all years by sorting (risk_answer.measure_mix).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from optimizer.case.schema import Case
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
from optimizer.coverage.risk_answer import (
    RiskRun,
    RiskSetup,
    diagnose_risk,
    enforce_risk_limits,
    has_risk_limits,
    measure_mix,
    risk_results,
    risk_setup,
    verify_risk_limits,
)
from optimizer.coverage.risk_limits import Measure
from optimizer.coverage.rows import DEFINITION_FAMILIES, CoverageModel
from optimizer.coverage.solution import Solution, Status
from optimizer.coverage.solve import Outcome, SolverName, solve
from optimizer.coverage.verify import annual_cost, ladder_margin, verify_solution
from optimizer.risk.scenarios import Scenarios
from optimizer.rules.explain import breakdown_dict
from optimizer.rules.requirement import Basis, requirement_basis


class SolverError(RuntimeError):
    """The solver did not prove an optimal mix that passes verification; nothing is reported."""


def optimize(
    case: Case,
    solver: SolverName | str = SolverName.HIGHS,
    time_limit: float | None = None,
    scenarios: Scenarios | None = None,
    base_dir: Path | None = None,
) -> Solution:
    """The cheapest mix of instruments that meets the case, explained and verified.

    Returns an OPTIMAL solution, or an INFEASIBLE one carrying a diagnosis and fixes. With
    risk limits (``risk.max_cvar``, ``risk.max_expected_uncovered``) they hold over
    ``scenarios``, or over the case's own years (simulated, or its events table read relative
    to ``base_dir``).

    Raises
    ------
    SolverError
        If the solver stops without proof of optimality, or its mix fails verification.
    """
    solver = SolverName(solver)
    started = time.perf_counter()
    basis = requirement_basis(case)
    risk = risk_setup(case, scenarios, base_dir) if has_risk_limits(case) else None
    solved = _solve_verified(case, basis, solver, time_limit, risk)
    if solved is None:
        return _infeasible(case, basis, solver, started, risk)
    if solved.risk is not None and risk is not None and not solved.decisions:
        return _risk_infeasible(case, basis, solver, started, risk, solved.risk)
    model, decisions = solved.model, solved.decisions
    duals, note = _duals(model, solver)
    prices = price_solution(model, decisions, duals)
    allocations = collect_allocations(case, basis.credit, decisions)
    margin, _ = ladder_margin(case, basis, decisions)
    solution = Solution(
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
        duals={name: value for name, value in duals.items() if model.rows[name].family not in DEFINITION_FAMILIES},
        duals_note=note,
        not_bought=prices.not_bought,
        ladder=collect_ladder(case, basis.credit, decisions, basis.amount),
        face_total=sum(item.credited for item in allocations),
        ladder_minimum_margin=margin,
        solver=str(solver),
        is_mip=model.is_mip,
        timings={"build": solved.build_seconds, "solve": solved.solve_seconds, "total": time.perf_counter() - started},
        verified=True,
    )
    return _with_risk(solution, case, risk, solved, duals)


def optimal_cost(
    case: Case, solver: SolverName | str = SolverName.HIGHS, scenarios: Scenarios | None = None
) -> float | None:
    """Optimal annual cost of a case, or None when it is infeasible (no diagnosis, no prices)."""
    basis = requirement_basis(case)
    risk = risk_setup(case, scenarios) if has_risk_limits(case) else None
    solved = _solve_verified(case, basis, SolverName(solver), None, risk)
    return None if solved is None or not solved.decisions else annual_cost(case, solved.decisions)


@dataclass(frozen=True)
class _Solved:
    model: CoverageModel
    decisions: dict[str, float]
    """Empty when the risk limits cannot be met (``risk`` says why)."""
    build_seconds: float
    solve_seconds: float
    risk: RiskRun | None = None
    risk_values: dict[Measure, float] | None = None
    """The mix's risk measures, recomputed over all years by sorting."""


def _solve_verified(
    case: Case, basis: Basis, solver: SolverName, time_limit: float | None, risk: RiskSetup | None = None
) -> _Solved | None:
    """Build, solve, enforce the risk limits, collect and verify; None when the case is infeasible.

    Raises SolverError unless the solver proved an optimum that passes verify_solution (and,
    with risk limits, verify_risk_limits over all years).
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
    stage = None
    if risk is not None:
        stage = enforce_risk_limits(model, risk, solver, time_limit)
        if stage.result.outcome is Outcome.INFEASIBLE:
            return _Solved(model, {}, built - started, run.seconds, stage)
        if stage.result.outcome is not Outcome.OPTIMAL:
            msg = f"{solver} stopped without proving an optimal mix under the risk limits ({stage.result.detail})"
            raise SolverError(msg)
    decisions = collect_decisions(model)
    total_cost = (model.problem.objective.value() or 0.0) * model.scale
    problems = verify_solution(case, basis, decisions, total_cost)
    values = None
    if risk is not None:
        values = measure_mix(case, risk, decisions)
        problems += verify_risk_limits(risk, risk.limits, values, model.scale)
    if problems:
        msg = f"{solver} returned a mix that fails the case's rules: " + "; ".join(problems)
        raise SolverError(msg)
    seconds = run.seconds + (stage.seconds if stage is not None else 0.0)
    return _Solved(model, decisions, built - started, seconds, stage, values)


def _with_risk(
    solution: Solution, case: Case, risk: RiskSetup | None, solved: _Solved, duals: dict[str, float]
) -> Solution:
    """The answer with its risk_limits, regulatory_only_cost and risk_solve (as is without limits)."""
    if risk is None or solved.risk is None or solved.risk_values is None:
        return solution
    # A limit row theta <= K in a minimisation has a dual <= 0: minus it is the price of lowering K.
    prices = {m: -duals.get(f"risk_limit__{m}", 0.0) for m in Measure}
    stage = solved.risk
    results = risk_results(case, risk, solved.risk_values, stage.regulatory_values, prices, solution.is_mip)
    summary = stage.summary()
    return replace(solution, risk_limits=results, regulatory_only_cost=stage.regulatory_cost, risk_solve=summary)


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


def _infeasible(case: Case, basis: Basis, solver: SolverName, started: float, risk: RiskSetup | None) -> Solution:
    years = risk.scenarios if risk is not None else None
    shortfalls, fixes = diagnose(case, basis, solver, lambda changed: optimal_cost(changed, solver, years))
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
        diagnosis=shortfalls,
        fixes=fixes,
        solver=str(solver),
        timings={"total": time.perf_counter() - started},
    )


def _risk_infeasible(
    case: Case, basis: Basis, solver: SolverName, started: float, risk: RiskSetup, stage: RiskRun
) -> Solution:
    """The requirement can be met, the risk limits cannot: say the least each limit can reach."""
    shortfalls, fixes = diagnose_risk(case, risk, stage.lp)
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
        diagnosis=shortfalls,
        fixes=fixes,
        solver=str(solver),
        timings={"total": time.perf_counter() - started},
        regulatory_only_cost=stage.regulatory_cost,
        risk_solve=stage.summary(),
    )
