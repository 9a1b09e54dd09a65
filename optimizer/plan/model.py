"""build_plan_model: the multi-year LP of model.md section 7, with named rows per year.

Years t = 1..T each get the one-year model's decisions and constraint families
(optimizer.coverage.model.add_constraints) on that year's case, in one shared problem, with
names prefixed ``y{t}__``. The plan adds, per year:

- set-aside a_t >= 0 and (when allowed) release r_t >= 0;
- the cash stock row ``y{t}__cash_stock``: C_t - C_{t-1} - a_t + r_t = 0, with C_0 the
  starting cash and C_t the cash held in year t (the sum of the year's cash decisions);
- the capacity row ``y{t}__set_aside_cap``: a_t <= capacity_t (kept as a row, not a bound,
  so its dual prices one more unit of set-aside capacity in year t).

Objective: sum_t (1 + d)^-(t-1) x (cost of year t's mix). Money is divided by one scale for
all years (the largest R_t), so every row and the objective are in the same unit and row
duals read as discounted cost per unit of money.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pulp

from optimizer.case.schema import Kind
from optimizer.coverage.collect import collect_duals
from optimizer.coverage.model import add_constraints, cost_expression
from optimizer.coverage.rows import DEMAND_FAMILIES, CoverageModel, Elastic, column_scale
from optimizer.plan.years import PlanYear


class PlanFamily(StrEnum):
    """Row families the plan adds to the yearly models."""

    CASH_STOCK = "cash_stock"
    SET_ASIDE_CAP = "set_aside_cap"


@dataclass(frozen=True)
class PlanRow:
    """What one plan row means."""

    name: str
    family: PlanFamily
    year: int
    rhs: float
    """Right-hand side in money: the starting cash (year 1's stock row) or the year's capacity."""


@dataclass
class PlanModel:
    """A built plan: the shared problem, one CoverageModel per year, and the plan's own rows."""

    problem: pulp.LpProblem
    years: tuple[PlanYear, ...]
    yearly: tuple[CoverageModel, ...]
    scale: float
    starting_cash: float
    set_aside: tuple[pulp.LpVariable, ...] = ()
    release: tuple[pulp.LpVariable | None, ...] = ()
    rows: dict[str, PlanRow] = field(default_factory=dict)
    forced_release: dict[int, pulp.LpVariable] = field(default_factory=dict)
    """In an elastic copy without release: year -> cash that would have to be released (a slack)."""
    capacity_stretch: pulp.LpVariable | None = None
    """In a stretch copy (diagnose): lambda >= 0 such that every capacity becomes (1 + lambda) x capacity."""

    @property
    def is_mip(self) -> bool:
        """True when any year has integer terms."""
        return any(model.is_mip for model in self.yearly)


def build_plan_model(
    years: tuple[PlanYear, ...],
    starting_cash: float,
    allow_release: bool,
    *,
    elastic: bool = False,
    stretch_capacity: bool = False,
) -> PlanModel:
    """Build the plan LP/MILP over ``years``.

    ``elastic`` builds the diagnostic copy: every year's "enough of something" rows may fall
    short (one slack per family and year) and the objective is the total shortfall.
    ``stretch_capacity`` builds the copy that finds the least proportional rise of every
    year's set-aside capacity that makes the plan feasible (objective: that rise).
    """
    scale = max(year.basis.amount for year in years)
    problem = pulp.LpProblem("reserve_opt_plan", pulp.LpMinimize)
    yearly = []
    for year in years:
        model = CoverageModel(
            case=year.case,
            basis=year.basis,
            scale=scale,
            problem=problem,
            decisions={},
            elastic=Elastic(soft=DEMAND_FAMILIES) if elastic else None,
            prefix=f"y{year.year}__",
        )
        add_constraints(model)
        yearly.append(model)
    plan = PlanModel(problem, years, tuple(yearly), scale, starting_cash)
    if stretch_capacity:
        plan.capacity_stretch = problem.add_variable("plan__capacity_stretch", lowBound=0)
    add_set_aside_decisions(plan, allow_release)
    if elastic and not allow_release:
        # Cash that may not fall can meet a cap it cannot stay under (a lower R, a counterparty
        # cap on cash, starting cash above max_amount): the elastic copy may release it at a
        # penalty, so the diagnosis can say how much and why.
        plan.forced_release = {
            year.year: problem.add_variable(f"y{year.year}__slack__forced_release", lowBound=0) for year in years
        }
    add_cash_stock_constraints(plan)
    add_set_aside_constraints(plan)
    finish_plan_model(plan, elastic)
    return plan


def add_set_aside_decisions(plan: PlanModel, allow_release: bool) -> None:
    """a_t (and r_t when cash may be released) for every year, in units of the scale."""
    plan.set_aside = tuple(plan.problem.add_variable(f"y{y.year}__set_aside", lowBound=0) for y in plan.years)
    plan.release = tuple(
        plan.problem.add_variable(f"y{y.year}__release", lowBound=0) if allow_release else None for y in plan.years
    )


def cash_terms(model: CoverageModel, sign: float = 1.0) -> list[tuple[pulp.LpVariable, float]]:
    """(variable, coefficient) pairs whose sum is the year's cash held, in units of the scale."""
    return [
        (model.decisions[item.id], sign * column_scale(item, model.scale) / model.scale)
        for item in model.case.instruments
        if item.kind is Kind.CASH
    ]


def add_cash_stock_constraints(plan: PlanModel) -> None:
    """C_t - C_{t-1} - a_t + r_t = 0 for every year, C_0 = starting cash (model.md section 7)."""
    for index, (year, model) in enumerate(zip(plan.years, plan.yearly, strict=True)):
        terms = [*cash_terms(model), (plan.set_aside[index], -1.0)]
        release = plan.release[index]
        if release is None:
            release = plan.forced_release.get(year.year)
        if release is not None:
            terms.append((release, 1.0))
        rhs = 0.0
        if index == 0:
            rhs = plan.starting_cash
        else:
            terms += cash_terms(plan.yearly[index - 1], -1.0)
        row = PlanRow(f"y{year.year}__cash_stock", PlanFamily.CASH_STOCK, year.year, rhs)
        plan.problem += (pulp.LpAffineExpression(terms) == rhs / plan.scale, row.name)
        plan.rows[row.name] = row


def add_set_aside_constraints(plan: PlanModel) -> None:
    """a_t <= capacity_t for every year with a capacity (a row, so its dual prices capacity)."""
    for index, year in enumerate(plan.years):
        if year.capacity is None:
            continue
        row = PlanRow(f"y{year.year}__set_aside_cap", PlanFamily.SET_ASIDE_CAP, year.year, year.capacity)
        expression = pulp.LpAffineExpression([(plan.set_aside[index], 1.0)])
        if plan.capacity_stretch is not None:
            expression -= (year.capacity / plan.scale) * plan.capacity_stretch
        plan.problem += (expression <= year.capacity / plan.scale, row.name)
        plan.rows[row.name] = row


def finish_plan_model(plan: PlanModel, elastic: bool) -> None:
    """Discounted cost of the path, the total shortfall (elastic) or the capacity rise (stretch)."""
    if plan.capacity_stretch is not None:
        plan.problem.setObjective(pulp.LpAffineExpression([(plan.capacity_stretch, 1.0)]))
        return
    if elastic:
        slacks = [var for model in plan.yearly for var in model.relaxations.values()]
        plan.problem.setObjective(pulp.lpSum([*slacks, *plan.forced_release.values()]))
        return
    objective = pulp.LpAffineExpression()
    for year, model in zip(plan.years, plan.yearly, strict=True):
        objective += year.discount * cost_expression(model)
    plan.problem.setObjective(objective)


def collect_plan_duals(plan: PlanModel) -> dict[str, float]:
    """Row name -> dual, for every year's rows and the plan's own (stock and capacity) rows."""
    duals: dict[str, float] = {}
    for model in plan.yearly:
        duals.update(collect_duals(model))
    for name in plan.rows:
        constraint = plan.problem.get_constraint_by_name(name)
        duals[name] = (constraint.pi or 0.0) if constraint is not None else 0.0
    return duals
