"""optimize_plan: the plan pipeline, top to bottom.

plan_years -> build_plan_model -> solve -> collect (per-year mixes, cash path, duals) ->
verify_plan. An infeasible plan goes to diagnose_plan instead. Nothing the solver says is
reported until verify_plan has re-checked every year and the cash path without the LP.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from optimizer.case.money import short_money
from optimizer.case.phrase import Money, phrase
from optimizer.case.schema import Case
from optimizer.coverage.collect import collect_allocations, collect_decisions
from optimizer.coverage.pipeline import SolverError
from optimizer.coverage.rows import DEFINITION_FAMILIES, CoverageModel
from optimizer.coverage.solution import Allocation, Binding, Status
from optimizer.coverage.solve import Outcome, SolverName, SolveRun, solve
from optimizer.coverage.verify import annual_cost
from optimizer.coverage.words import describe_row, row_phrase
from optimizer.plan.answer import PlanSolution, PlanYearAnswer
from optimizer.plan.diagnose import diagnose_plan
from optimizer.plan.model import PlanFamily, PlanModel, build_plan_model, collect_plan_duals
from optimizer.plan.verify import cash_held, verify_plan
from optimizer.plan.years import PlanYear, plan_of, plan_years

# A row binds when its slack is below this (in units of the scale) and its dual is not zero.
_TIGHT = 1e-7
_ZERO = 1e-9


def optimize_plan(
    case: Case, solver: SolverName | str = SolverName.HIGHS, time_limit: float | None = None
) -> PlanSolution:
    """The cheapest path over the case's plan years, verified; or a diagnosis of why there is none.

    A case without a ``plan:`` section is a one-year plan: R in full, no capacity limit.

    Raises
    ------
    SolverError
        If the solver stops without proof of optimality, or its path fails verification.
    """
    solver = SolverName(solver)
    started = time.perf_counter()
    plan = plan_of(case)
    years = plan_years(case)
    model = build_plan_model(years, plan.starting_cash, plan.allow_release)
    built = time.perf_counter()
    run = solve_plan(model, solver, time_limit)
    if run.outcome is Outcome.INFEASIBLE:
        return _infeasible(case, years, solver, started)
    if run.outcome is not Outcome.OPTIMAL:
        msg = f"{solver} stopped without proving an optimal plan ({run.detail}); nothing is reported"
        raise SolverError(msg)
    decisions = [collect_decisions(yearly) for yearly in model.yearly]
    set_aside = [(var.varValue or 0.0) * model.scale for var in model.set_aside]
    release = [0.0 if var is None else (var.varValue or 0.0) * model.scale for var in model.release]
    objective = (model.problem.objective.value() or 0.0) * model.scale
    problems = verify_plan(years, decisions, set_aside, release, plan.starting_cash, plan.allow_release, objective)
    if problems:
        msg = f"{solver} returned a plan that fails its rules: " + "; ".join(problems)
        raise SolverError(msg)
    duals, note = _duals(model, solver)
    answers = _year_answers(case, model, decisions, duals, plan.starting_cash)
    total = time.perf_counter() - started
    return PlanSolution(
        status=Status.OPTIMAL,
        case_name=case.name,
        currency=case.currency,
        years=answers,
        discounted_cost=sum(item.discounted_cost for item in answers),
        total_cost=sum(item.annual_cost for item in answers),
        starting_cash=plan.starting_cash,
        allow_release=plan.allow_release,
        discount_rate=plan.discount_rate,
        duals_note=note,
        solver=str(solver),
        is_mip=model.is_mip,
        timings={"build": built - started, "solve": run.seconds, "total": total},
        verified=True,
    )


def plan_cost(case: Case, solver: SolverName | str = SolverName.HIGHS) -> float | None:
    """The optimal discounted cost of a case's plan, or None when it is infeasible (no diagnosis)."""
    plan = plan_of(case)
    model = build_plan_model(plan_years(case), plan.starting_cash, plan.allow_release)
    run = solve_plan(model, SolverName(solver), None)
    if run.outcome is Outcome.INFEASIBLE:
        return None
    if run.outcome is not Outcome.OPTIMAL:
        msg = f"{solver} stopped without proving an optimal plan ({run.detail})"
        raise SolverError(msg)
    decisions = [collect_decisions(yearly) for yearly in model.yearly]
    return sum(year.discount * annual_cost(year.case, mix) for year, mix in zip(model.years, decisions, strict=True))


def solve_plan(model: PlanModel, solver: SolverName, time_limit: float | None) -> SolveRun:
    """Solve the shared problem (every year's CoverageModel holds it; the first is passed)."""
    return solve(model.yearly[0], solver, time_limit)


def _duals(model: PlanModel, solver: SolverName) -> tuple[dict[str, float], str]:
    """Row duals of every row (years' and plan's); a MILP's from the LP with its choices fixed."""
    words = (
        "duals are discounted plan cost per unit of money a row moves; with ties (a degenerate "
        "optimum) another solver may report different valid duals"
    )
    if model.is_mip:
        from optimizer.coverage.collect import fix_integer_choices

        fix_integer_choices(model.yearly[0])
        solve_plan(model, solver, None)
        words = "MILP: duals are those of the LP with the integer choices fixed; " + words
    duals = collect_plan_duals(model)
    return duals, words


def _year_answers(
    case: Case,
    model: PlanModel,
    decisions: Sequence[Mapping[str, float]],
    duals: Mapping[str, float],
    starting_cash: float,
) -> tuple[PlanYearAnswer, ...]:
    answers = []
    previous = starting_cash
    for index, year in enumerate(model.years):
        mix = decisions[index]
        cash = cash_held(year, mix)
        cap_row = f"y{year.year}__set_aside_cap"
        answers.append(
            PlanYearAnswer(
                year=year.year,
                requirement=year.basis.amount,
                fraction=year.fraction,
                requirement_source=year.basis.source,
                cash=round(cash, 2),
                # Set-aside and release carry no cost, so the LP may report both at once; the
                # net change of the balance is what the exchange actually does.
                set_aside=round(max(cash - previous, 0.0), 2),
                release=round(max(previous - cash, 0.0), 2),
                capacity=year.capacity,
                annual_cost=annual_cost(year.case, mix),
                discount_factor=year.discount,
                allocations=_all_allocations(case, year, mix),
                unavailable=year.unavailable,
                binding=_binding(model, model.yearly[index], year, duals, cash, previous),
                capacity_value=None if year.capacity is None else _saving(duals.get(cap_row, 0.0)),
            )
        )
        previous = cash
    return tuple(answers)


def _saving(dual: float) -> float:
    # The set-aside row is "<=": more capacity can only lower the cost, so its dual is <= 0.
    return -dual if dual < 0 else 0.0


def _all_allocations(case: Case, year: PlanYear, mix: Mapping[str, float]) -> tuple[Allocation, ...]:
    """Every instrument of the case, with zeros for those not on offer this year."""
    offered = {item.id: item for item in collect_allocations(year.case, year.basis.credit, mix)}
    return tuple(
        offered.get(item.id)
        or Allocation(
            id=item.id, kind=str(item.kind), counterparty=item.counterparty, amount=0.0, annual_cost=0.0, credited=0.0
        )
        for item in case.instruments
    )


def _binding(
    model: PlanModel,
    yearly: CoverageModel,
    year: PlanYear,
    duals: Mapping[str, float],
    cash: float,
    previous: float,
) -> tuple[Binding, ...]:
    currency = year.case.currency
    found = []
    for name, row in yearly.rows.items():
        constraint = model.problem.get_constraint_by_name(name)
        dual = duals.get(name, 0.0)
        if row.family in DEFINITION_FAMILIES or constraint is None or abs(dual) <= _ZERO:
            continue
        if abs(constraint.slack or 0.0) <= _TIGHT:
            text = describe_row(year.case, row, currency)
            found.append(Binding(name, str(row.family), text, dual, row_phrase(year.case, row)))
    cap = f"y{year.year}__set_aside_cap"
    if year.capacity is not None and cash - previous >= year.capacity - _TIGHT * model.scale:
        text = f"at most {short_money(year.capacity, currency)} can be set aside in year {year.year}"
        said = phrase("binds.set_aside_cap", amount=Money(year.capacity, currency), year=year.year)
        found.append(Binding(cap, str(PlanFamily.SET_ASIDE_CAP), text, duals.get(cap, 0.0), said))
    return tuple(found)


def _infeasible(case: Case, years: tuple[PlanYear, ...], solver: SolverName, started: float) -> PlanSolution:
    plan = plan_of(case)
    shortfalls, fixes = diagnose_plan(case, years, solver, lambda changed: plan_cost(changed, solver))
    answers = tuple(
        PlanYearAnswer(
            year=year.year,
            requirement=year.basis.amount,
            fraction=year.fraction,
            requirement_source=year.basis.source,
            cash=0.0,
            set_aside=0.0,
            release=0.0,
            capacity=year.capacity,
            annual_cost=0.0,
            discount_factor=year.discount,
            allocations=_all_allocations(case, year, {item.id: 0.0 for item in year.case.instruments}),
            unavailable=year.unavailable,
        )
        for year in years
    )
    return PlanSolution(
        status=Status.INFEASIBLE,
        case_name=case.name,
        currency=case.currency,
        years=answers,
        discounted_cost=None,
        total_cost=None,
        starting_cash=plan.starting_cash,
        allow_release=plan.allow_release,
        discount_rate=plan.discount_rate,
        diagnosis=shortfalls,
        fixes=fixes,
        solver=str(solver),
        timings={"total": time.perf_counter() - started},
    )
