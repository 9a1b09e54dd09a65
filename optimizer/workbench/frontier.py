"""The cost-risk frontier: the cheapest annual cost at each limit on a risk measure.

``trace_frontier`` solves the coverage model once (the regulatory optimum, every policy row,
the case's limit on the other measure if it has one), measures its risk, finds the least risk
any mix can reach (the measure minimised subject to every row), and then re-solves at evenly
spaced limits from the first down to the second. One live model serves every point
(``RiskLP``): a point changes the limit row's bound and re-solves warm, and the cuts found for
one limit stay valid for all the others, so later points need few new rounds. Every point is
verified like an answer (``verify_solution`` with the duals' cost certificate for an LP, and the
measures recomputed over all years by sorting); a point that is infeasible, stops at the time
limit or fails verification is recorded with its reason, never raised.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from optimizer.case.schema import Case
from optimizer.case.terms import unit_amount
from optimizer.coverage.collect import collect_decisions, collect_duals, price_rules
from optimizer.coverage.model import build_model
from optimizer.coverage.risk_answer import (
    RiskSetup,
    case_limits,
    limit_words,
    measure_mix,
    measure_words,
    risk_priced_rules,
    risk_setup,
    verify_risk_limits,
)
from optimizer.coverage.risk_limits import LIMIT_FIELD, Measure, RiskLP
from optimizer.coverage.solve import Outcome, SolverName, solve
from optimizer.coverage.verify import annual_cost, verify_solution
from optimizer.risk.payouts import payout_matrix
from optimizer.risk.scenarios import FloatArray, Scenarios
from optimizer.rules.requirement import Basis, requirement_basis
from optimizer.workbench.frontier_points import DEFAULT_POINTS, MAX_POINTS


class FrontierError(ValueError):
    """No frontier can be drawn (the rule itself cannot be met); the message says why."""


@dataclass(frozen=True)
class FrontierPoint:
    """The cheapest mix at one limit on the measure, or why there is none."""

    limit: float
    """The limit on the measure, in money."""
    status: str
    """optimal, infeasible or failed."""
    total_cost: float | None = None
    value: float | None = None
    """The measure of the mix, recomputed over all years by sorting."""
    other_value: float | None = None
    """The other measure of the mix (expected uncovered loss on a CVaR frontier, and back)."""
    price: float | None = None
    """Annual cost of lowering the limit by one unit of money at this point (dual; None for a MILP)."""
    mix: dict[str, float] = field(default_factory=dict)
    """Money bought of each instrument."""
    detail: str = ""
    """Why a point is infeasible or failed."""


@dataclass(frozen=True)
class Frontier:
    """Cost against a risk measure, from the regulatory optimum down to the least reachable."""

    case_name: str
    currency: str
    measure: str
    """cvar or expected."""
    measure_words: str
    level: float
    years: int
    regulatory_value: float
    """The measure of the cheapest mix without a limit on it."""
    least_value: float
    """The least value of the measure any mix meeting every other row reaches."""
    points: tuple[FrontierPoint, ...]
    current: FrontierPoint | None
    """The case's own answer on this frontier (at its limit, or the regulatory optimum)."""
    held: str
    """The other rows held at every point, in words."""
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON answer of ``reserve-opt frontier``."""
        answer = asdict(self)
        answer["points"] = [asdict(point) for point in self.points]
        return answer


def trace_frontier(
    case: Case,
    points: int = DEFAULT_POINTS,
    measure: Measure | str = Measure.CVAR,
    scenarios: Scenarios | None = None,
    base_dir: Path | None = None,
    solver: SolverName | str = SolverName.HIGHS,
) -> Frontier:
    """The frontier of ``measure`` for ``case`` (see the module docstring).

    Raises
    ------
    FrontierError
        If no mix meets the requirement and policy rows (with the other risk limit), or
        ``points`` is out of range.
    """
    return open_frontier(case, measure, scenarios, base_dir, solver).trace(points)


def open_frontier(
    case: Case,
    measure: Measure | str = Measure.CVAR,
    scenarios: Scenarios | None = None,
    base_dir: Path | None = None,
    solver: SolverName | str = SolverName.HIGHS,
) -> FrontierSession:
    """A live frontier session: ``trace`` the frontier, then re-solve at any ``point`` warm."""
    basis = requirement_basis(case)
    setup = risk_setup(case, scenarios, base_dir)
    return FrontierSession(case, basis, setup, Measure(measure), SolverName(solver))


class FrontierSession:
    """A live risk model for one case and one measure: solve at any limit, warm (app slider)."""

    def __init__(self, case: Case, basis: Basis, setup: RiskSetup, measure: Measure, solver: SolverName) -> None:
        """Build and solve the regulatory model; FrontierError if it is infeasible."""
        self.case, self.basis, self.setup, self.measure = case, basis, setup, measure
        other = Measure.EXPECTED if measure is Measure.CVAR else Measure.CVAR
        self.other = other
        self.fixed: dict[Measure, float | None] = {other: case_limits(case)[other], measure: None}
        model = build_model(case, basis)
        run = solve(model, solver)
        if run.outcome is Outcome.INFEASIBLE:
            msg = "no mix meets the requirement and the policy constraints; run `reserve-opt solve` for the diagnosis"
            raise FrontierError(msg)
        if run.outcome is not Outcome.OPTIMAL:
            msg = f"the regulatory model was not solved ({run.detail})"
            raise FrontierError(msg)
        level = setup.data.level
        words = {m: limit_words(m, level, limit, case.currency) for m, limit in self.fixed.items() if limit is not None}
        self.lp = RiskLP(model, setup.data, solver, words=words)
        self.matrix: FloatArray = payout_matrix(setup.scenarios, case, setup.defaults)

    def trace(self, points: int = DEFAULT_POINTS) -> Frontier:
        """Evenly spaced limits from the unconstrained optimum's value down to the least reachable."""
        started = time.perf_counter()
        if not 2 <= points <= MAX_POINTS:
            msg = f"points must be from 2 to {MAX_POINTS} (got {points}); each point is a verified solve"
            raise FrontierError(msg)
        start, least = self.start()
        limits = np.linspace(start.value or 0.0, least, points)
        traced = tuple(start if k == 0 else self.point(float(limit)) for k, limit in enumerate(limits))
        own = case_limits(self.case)[self.measure]
        current = start if own is None or own >= (start.value or 0.0) else self.point(own)
        if current is not start:  # the same point when the case's limit is one of the frontier's
            current = next((p for p in traced if p.limit == current.limit), current)
        return Frontier(
            case_name=self.case.name,
            currency=self.case.currency,
            measure=str(self.measure),
            measure_words=measure_words(self.measure, self.setup.data.level),
            level=self.setup.data.level,
            years=self.setup.scenarios.years,
            regulatory_value=start.value or 0.0,
            least_value=least,
            points=traced,
            current=current,
            held=self.held_words(),
            seconds=time.perf_counter() - started,
        )

    def start(self) -> tuple[FrontierPoint, float]:
        """The cheapest mix without a limit on the measure, and the least value reachable."""
        first = self._solve(None)
        if first.status != "optimal":
            msg = f"no mix meets every rule and {self.held_words()}: {first.detail}"
            raise FrontierError(msg)
        least = self.lp.minimise(self.measure, self.fixed)
        if least.outcome is not Outcome.OPTIMAL:
            msg = f"the least reachable {self.measure} could not be found ({least.detail})"
            raise FrontierError(msg)
        return first, least.values[self.measure]

    def point(self, limit: float) -> FrontierPoint:
        """The cheapest verified mix with the measure at most ``limit``, or why there is none."""
        return self._solve(limit)

    def held_words(self) -> str:
        """The other rows held at every point."""
        held = "the requirement and every policy constraint"
        other = self.fixed[self.other]
        if other is not None:
            held += f", and {limit_words(self.other, self.setup.data.level, other, self.case.currency)}"
        return held

    def _solve(self, limit: float | None) -> FrontierPoint:
        limits = {**self.fixed, self.measure: limit}
        model = self.lp.model
        if limit is not None:
            words = limit_words(self.measure, self.setup.data.level, limit, self.case.currency)
            self.lp.words[self.measure] = words
        result = self.lp.minimise_cost(limits)
        shown = 0.0 if limit is None else limit
        if result.outcome is Outcome.INFEASIBLE:
            return FrontierPoint(shown, "infeasible", detail="no mix meets every rule at this limit")
        if result.outcome is not Outcome.OPTIMAL:
            return FrontierPoint(shown, "failed", detail=result.detail)
        decisions = collect_decisions(model)
        cost = annual_cost(self.case, decisions)
        rules = None
        price = None
        if not model.is_mip:
            duals = collect_duals(model)
            rules = price_rules(model, duals) + risk_priced_rules(self.lp, limits, duals)
            price = max(-duals.get(f"risk_limit__{self.measure}", 0.0), 0.0) if limit is not None else 0.0
        problems = verify_solution(self.case, self.basis, decisions, cost, rules)
        values = measure_mix(self.case, self.setup, decisions, self.matrix)
        problems += verify_risk_limits(self.setup, limits, values, model.scale)
        mix = {item.id: round(decisions[item.id] * unit_amount(item), 2) for item in self.case.instruments}
        if problems:
            return FrontierPoint(shown, "failed", cost, values[self.measure], detail="; ".join(problems), mix=mix)
        return FrontierPoint(
            limit=values[self.measure] if limit is None else limit,
            status="optimal",
            total_cost=cost,
            value=values[self.measure],
            other_value=values[self.other],
            price=price,
            mix=mix,
        )


def limit_field(measure: Measure | str) -> str:
    """The case field a measure's limit lives in."""
    return f"risk.{LIMIT_FIELD[Measure(measure)]}"
