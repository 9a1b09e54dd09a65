"""optimize: the whole pipeline, top to bottom.

check_case (on loading) -> requirement_basis -> build_model -> solve -> [enforce_risk_limits]
-> collect (values, duals) -> verify_solution [and verify_risk_limits]. An infeasible case goes
to diagnose instead (diagnose_risk when only the risk limits cannot be met). Nothing the solver
says is reported until verify_solution has re-checked it without the LP; the risk limits are
re-checked over all years by sorting (risk_answer.measure_mix).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optimizer.case.names import merged_spellings
from optimizer.case.schema import Case
from optimizer.case.terms import has_integer_terms, is_on_offer
from optimizer.coverage.collect import (
    collect_allocations,
    collect_decisions,
    collect_duals,
    collect_ladder,
    fix_integer_choices,
    price_rules,
    price_solution,
)
from optimizer.coverage.model import build_model
from optimizer.coverage.options import Measure
from optimizer.coverage.rows import DEFINITION_FAMILIES, WHOLE_UNITS_MAX_COUNT, CoverageModel, too_many_whole_units
from optimizer.coverage.solution import Fix, Shortfall, Solution, Status
from optimizer.coverage.solve import Outcome, SolverName, SolveRun, solve, time_limit_for_solves
from optimizer.coverage.verify import annual_cost, ladder_margin, money_tolerance, verify_solution
from optimizer.risk.scenarios import Scenarios
from optimizer.rules.explain import breakdown_dict
from optimizer.rules.requirement import Basis, requirement_basis

if TYPE_CHECKING:  # the risk stage is imported when a case has risk limits: most have none (issue #12)
    from optimizer.coverage.risk_answer import RiskRun, RiskSetup


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

    Returns an OPTIMAL solution, or an INFEASIBLE one carrying a diagnosis and fixes.
    ``time_limit`` (seconds) bounds every solve this makes, the diagnosis's included; None
    keeps the limit in force (``time_limit_for_solves``, 60 s by default). Risk limits
    (``risk.max_cvar``, ``risk.max_expected_uncovered``) hold over ``scenarios``, else over the
    case's own years (simulated, or its events table read relative to ``base_dir``).

    Raises
    ------
    SolverError
        If the solver stops without proof of optimality (at the time limit, for one), or its
        mix fails verification.
    """
    with time_limit_for_solves(time_limit):
        return _optimize(case, SolverName(solver), scenarios, base_dir)


def _optimize(case: Case, solver: SolverName, scenarios: Scenarios | None, base_dir: Path | None) -> Solution:
    started = time.perf_counter()
    basis = requirement_basis(case)
    risk = _risk_setup(case, scenarios, base_dir)
    solved = _solve_verified(case, basis, solver, risk)
    if solved is None:
        return _infeasible(case, basis, solver, started, risk)
    if solved.risk is not None and risk is not None and not solved.decisions:
        return _risk_infeasible(case, basis, solver, started, risk, solved.risk)
    model, decisions, duals = solved.model, solved.decisions, solved.duals
    prices = price_solution(model, decisions, duals)
    allocations = collect_allocations(case, basis.credit, decisions)
    margin, _ = ladder_margin(case, basis, decisions)
    if -money_tolerance(basis.amount) <= margin < 0:
        # Within the tolerance verify_solution passed it at: rounding, not a gap. Reported as
        # zero so the answer does not say "verified" and "the ladder test FAILS" at once.
        margin = 0.0
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
        duals_note=solved.duals_note,
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
    return _with_risk(solution, case, risk, solved)


def optimal_cost(
    case: Case,
    solver: SolverName | str = SolverName.HIGHS,
    time_limit: float | None = None,
    scenarios: Scenarios | None = None,
    base_dir: Path | None = None,
) -> float | None:
    """Optimal annual cost of a case, or None when it is infeasible (no diagnosis, no prices)."""
    with time_limit_for_solves(time_limit):
        risk = _risk_setup(case, scenarios, base_dir)
        solved = _solve_verified(case, requirement_basis(case), SolverName(solver), risk)
    return None if solved is None or not solved.decisions else annual_cost(case, solved.decisions)


def _risk_setup(case: Case, scenarios: Scenarios | None, base_dir: Path | None) -> RiskSetup | None:
    """The risk stage's years and limits; None for a case without risk limits."""
    if case.risk is None:  # no limits: the risk modules (loss models, the cut loop) are not even imported
        return None
    from optimizer.coverage.risk_answer import has_risk_limits, risk_setup

    return risk_setup(case, scenarios, base_dir) if has_risk_limits(case) else None


@dataclass(frozen=True)
class _Solved:
    model: CoverageModel
    decisions: dict[str, float]
    duals: dict[str, float]
    duals_note: str
    build_seconds: float
    solve_seconds: float
    risk: RiskRun | None = None
    risk_values: dict[Measure, float] | None = None
    """The mix's risk measures, recomputed over all years by sorting."""


def _solve_verified(case: Case, basis: Basis, solver: SolverName, risk: RiskSetup | None = None) -> _Solved | None:
    """Build, solve, enforce any risk limits, collect values and duals, and verify.

    None when the case is infeasible; with risk limits that no mix meets, a ``_Solved`` with
    no decisions and the risk stage (for ``diagnose_risk``). Raises SolverError unless the
    solver proved an optimum that passes verify_solution (every rule re-checked in money, and
    the cost no higher than the lower bound the duals prove, the risk cuts' prices included)
    and verify_risk_limits (the measures recomputed over all years by sorting).
    """
    _refuse_unsolvable_units(case, basis)
    started = time.perf_counter()
    model = build_model(case, basis)
    built = time.perf_counter()
    run = solve(model, solver)
    if run.outcome is Outcome.INFEASIBLE:
        return None
    _raise_unless_optimal(run)
    stage = None
    if risk is not None:
        from optimizer.coverage.risk_answer import enforce_risk_limits

        stage = enforce_risk_limits(model, risk, solver)
        if stage.result.outcome is Outcome.INFEASIBLE:
            return _Solved(model, {}, {}, "", built - started, run.seconds, stage)
        if stage.result.outcome is not Outcome.OPTIMAL:
            _raise_unless_optimal(SolveRun(stage.result.outcome, solver, stage.result.detail, stage.seconds))
    decisions = collect_decisions(model)
    total_cost = (model.problem.objective.value() or 0.0) * model.scale
    duals, note = _duals(model, solver)
    fixed = {item.id: decisions[item.id] for item in case.instruments if has_integer_terms(item)}
    rules = price_rules(model, duals)
    if stage is not None:
        from optimizer.coverage.risk_answer import risk_priced_rules

        rules += risk_priced_rules(stage.lp, stage.limits, duals)
    problems = verify_solution(case, basis, decisions, total_cost, rules, fixed)
    values = None
    if risk is not None:
        from optimizer.coverage.risk_answer import measure_mix, verify_risk_limits

        values = measure_mix(case, risk, decisions)
        problems += verify_risk_limits(risk, risk.limits, values, model.scale)
    if problems:
        msg = f"{solver} returned a mix that fails verification: " + "; ".join(problems)
        raise SolverError(msg)
    if model.rounded_units:
        note += (
            f"; whole units of {', '.join(model.rounded_units)} pay less than the money tolerance each, "
            "so the LP's count was rounded to whole units (within half a unit's premium of the optimum)"
        )
    seconds = run.seconds + (stage.seconds if stage is not None else 0.0)
    return _Solved(model, decisions, duals, note, built - started, seconds, stage, values)


def _with_risk(solution: Solution, case: Case, risk: RiskSetup | None, solved: _Solved) -> Solution:
    """The answer with its risk_limits, regulatory_only_cost and risk_solve (as is without limits)."""
    if risk is None or solved.risk is None or solved.risk_values is None:
        return solution
    # A limit row theta <= K in a minimisation has a dual <= 0: minus it is the price of lowering K.
    from optimizer.coverage.risk_answer import risk_results

    prices = {m: -solved.duals.get(f"risk_limit__{m}", 0.0) for m in Measure}
    stage = solved.risk
    results = risk_results(case, risk, solved.risk_values, stage.regulatory_values, prices, solution.is_mip)
    summary = stage.summary()
    return replace(solution, risk_limits=results, regulatory_only_cost=stage.regulatory_cost, risk_solve=summary)


def _refuse_unsolvable_units(case: Case, basis: Basis) -> None:
    """Whole units too small to count reliably (rows.too_many_whole_units) stop the solve."""
    small = [item for item in case.instruments if too_many_whole_units(item, basis.amount)]
    if not small:
        return
    names = ", ".join(f"{item.id} (payout {item.payout:,.6g})" for item in small)  # type: ignore[union-attr]
    msg = (
        f"whole units of {names} would have to be counted past {WHOLE_UNITS_MAX_COUNT:,.0f} to reach the "
        f"requirement of {basis.amount:,.6g}; the MILP solvers do not count that high reliably, so nothing "
        "is reported. Sell the cover in larger units (a payout of at least "
        f"{basis.amount / WHOLE_UNITS_MAX_COUNT:,.6g}), cap max_units at 1,000,000 or less, or drop "
        "integer_units (a count this large is as good as continuous)"
    )
    raise SolverError(msg)


def _raise_unless_optimal(run: SolveRun) -> None:
    if run.outcome is Outcome.OPTIMAL:
        return
    if run.outcome is Outcome.TIME_LIMIT:
        msg = (
            f"{run.solver} {run.detail} before proving an optimal mix; nothing is reported. "
            "Allow more time (reserve-opt --time-limit SECONDS, or the app's solver time limit), "
            "or try the other solver (--solver cbc or highs)"
        )
    else:
        msg = f"{run.solver} stopped without proving an optimal mix ({run.detail}); nothing is reported"
    raise SolverError(msg)


DUALS_LP = "LP duals; with ties (degenerate optimum) another solver may report different valid duals"
"""Solution.duals_note of an LP (the app says it from the catalogue's ``duals.lp``, the same words)."""
DUALS_MIP = (
    "MILP: duals are those of the LP with the integer choices fixed; no break-even price "
    "is given for instruments with whole-unit, minimum-line or all-or-nothing terms"
)
"""Solution.duals_note of a MILP (the catalogue's ``duals.mip``)."""


def _duals(model: CoverageModel, solver: SolverName) -> tuple[dict[str, float], str]:
    """Row duals, and what they mean; a MILP's come from the LP with its integer choices fixed."""
    if not model.is_mip:
        return collect_duals(model), DUALS_LP
    fix_integer_choices(model)
    _raise_unless_optimal(solve(model, solver))
    return collect_duals(model), DUALS_MIP


def _infeasible(case: Case, basis: Basis, solver: SolverName, started: float, risk: RiskSetup | None) -> Solution:
    from optimizer.coverage.diagnose import diagnose  # only an infeasible case needs the diagnosis

    years = risk.scenarios if risk is not None else None
    try:
        found = diagnose(case, basis, solver, lambda changed: optimal_cost(changed, solver, scenarios=years))
    except RuntimeError as error:  # the diagnosis's own solve stopped (its time limit, for one)
        if isinstance(error, SolverError):
            raise
        msg = f"the case is infeasible, but {error}; nothing is reported"
        raise SolverError(msg) from error
    said = {"fix_search": found.search, "fix_search_phrase": found.search_phrase}
    return _infeasible_answer(case, basis, solver, started, found.shortfalls, found.fixes, **said)


def _risk_infeasible(
    case: Case, basis: Basis, solver: SolverName, started: float, risk: RiskSetup, stage: RiskRun
) -> Solution:
    """The requirement can be met, the risk limits cannot: say the least each limit can reach."""
    from optimizer.coverage.risk_answer import diagnose_risk

    shortfalls, fixes = diagnose_risk(case, risk, stage.lp)
    return _infeasible_answer(
        case,
        basis,
        solver,
        started,
        shortfalls,
        fixes,
        regulatory_only_cost=stage.regulatory_cost,
        risk_solve=stage.summary(),
    )


def _infeasible_answer(
    case: Case,
    basis: Basis,
    solver: SolverName,
    started: float,
    shortfalls: Sequence[Shortfall],
    fixes: Sequence[Fix],
    **extra: Any,
) -> Solution:
    """An infeasible answer: nothing bought, the diagnosis, and how R was computed."""
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
        diagnosis=tuple(shortfalls),
        fixes=tuple(fixes),
        merged_counterparties=merged_spellings(item.counterparty for item in case.instruments),
        solver=str(solver),
        timings={"total": time.perf_counter() - started},
        **extra,
    )
