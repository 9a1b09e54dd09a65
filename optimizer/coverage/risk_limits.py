"""Risk limits as a constraint family of the coverage LP, enforced by cutting planes.

The rows (model.md section 4; Kunzi-Bay & Mayer 2006): one variable theta_m >= 0 per risk
measure m (CVaR at the case's level, expected uncovered loss), one limit row theta_m <= K_m,
and cut rows theta_m + sum_k g_k x_k >= g0 from ``optimizer.risk.tail``. Each cut is valid for
every mix, so the LP with some cuts is a relaxation of the full model (the textbook RU LP with
a variable and a row per year). The loop (``RiskLP.minimise_cost``):

1. solve the LP (the regulatory rows, every policy row, the cuts so far);
2. compute each limited measure of the mix it returns, exactly, over all years
   (``cvar_cut``: a partial sort of the worst years);
3. if every measure meets its limit (within 1e-9 relative), the mix is feasible for the full
   model and no feasible mix is cheaper (the LP is a relaxation): it is the full optimum;
   otherwise add the cut tight at this mix, which this mix violates, and go to 1.

There are finitely many cuts (one per set of worst years and boundary weight), so the loop ends.
With integer terms (whole units, minimum lines) the same argument holds for the MILP: the cuts
are valid inequalities for the convex measure whatever x is, so the MILP with cuts is a
relaxation of the full MILP, and its optimum, once it meets the limits, is the full optimum;
each round re-solves the MILP. With HiGHS the rows go into the live solver model
(``problem.solverModel``) and each round is a warm re-solve (solver-notes.md); the same rows are
mirrored into the PuLP problem so that duals, prices and a re-solve through PuLP see them.

All rows are in units of R like the rest of the model, so the dual of a limit row is the
annual cost per unit of money of the measure: the price of risk.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pulp

from optimizer.case.phrase import Phrase
from optimizer.coverage.options import Measure as Measure
from optimizer.coverage.rows import CoverageModel, Family, Row, column_scale
from optimizer.coverage.solve import Outcome, SolverName, current_time_limit, solve
from optimizer.risk.figures import LIMIT_RTOL  # one tolerance: the figures call a held limit met
from optimizer.risk.scenarios import FloatArray
from optimizer.risk.tail import TailCut, YearTable, cvar_cut, mean_cut

MAX_ROUNDS = 2_000
"""Cut rounds before the loop gives up (and says so); tests need a few dozen at most."""
_MAX_BACKOFFS = 30
_NO_LIMIT = 1e30


LIMIT_FIELD = {Measure.CVAR: "max_cvar", Measure.EXPECTED: "max_expected_uncovered"}
"""The case field (under ``risk:``) holding each measure's limit."""


@dataclass(frozen=True, eq=False)
class RiskData:
    """What the risk rows need: the reduced years and the CVaR tail size."""

    table: YearTable
    level: float
    tail: Fraction
    """k = (1 - level) S."""


@dataclass(frozen=True, eq=False)
class LoopResult:
    """The outcome of one solve with risk limits."""

    outcome: Outcome
    """OPTIMAL (the full model's optimum), INFEASIBLE (no mix meets the limits) or NOT_SOLVED."""
    detail: str
    x: FloatArray
    """(K,) the decisions, in each instrument's own unit (empty unless OPTIMAL)."""
    values: dict[Measure, float]
    """Each measure of the mix, from the loop's exact evaluation."""
    rounds: int
    """LP (or MILP) solves this call took."""
    objective: float = 0.0
    """The LP's objective: cost in money, or the measure minimised."""


@dataclass
class _Family:
    theta: pulp.LpVariable
    limit: pulp.LpConstraint
    cuts: int = 0
    held: list[tuple[str, TailCut]] = field(default_factory=list)
    """Row name and cut of every cut added, as computed from the years (for the certificate)."""
    backoff: float = 0.0
    """Money taken off the limit row when the LP's tolerance left a mix just above it."""


@dataclass
class RiskLP:
    """The coverage model with risk rows, kept live between solves (frontier, diagnosis).

    ``model`` must have been solved once (the regulatory optimum), so that with HiGHS its live
    solver model exists; ``words`` gives each limit row its text (``describe_row``).
    """

    model: CoverageModel
    data: RiskData
    solver: SolverName = SolverName.HIGHS
    time_limit: float | None = None
    words: dict[Measure, str] = field(default_factory=dict)
    phrases: dict[Measure, Phrase] = field(default_factory=dict)
    """``words`` as phrases for other languages (optimizer/case/phrase.py)."""
    rounds: int = 0
    """Solves over the object's life."""
    families: dict[Measure, _Family] = field(default_factory=dict)
    _cost: list[tuple[pulp.LpVariable, float]] = field(default_factory=list)
    _values: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Add the theta columns and the (inactive) limit rows, to PuLP and the live model."""
        self._cost = list(self.model.problem.objective.items())
        for measure in Measure:
            theta = self.model.problem.add_variable(f"risk__{measure}", lowBound=0)
            name = f"risk_limit__{measure}"
            expression = pulp.LpAffineExpression([(theta, 1.0)])
            constraint = pulp.LpConstraint(expression, pulp.LpConstraintLE, name, _NO_LIMIT)
            self.model.problem += (constraint, name)
            self.families[measure] = _Family(theta, constraint)
            if self._live():
                highs = self.model.problem.solverModel
                highs.addCol(0.0, 0.0, _inf(), 0, [], [])
                theta.index = highs.getNumCol() - 1
                highs.addRow(-_inf(), _NO_LIMIT, 1, np.array([theta.index], dtype=np.int32), np.array([1.0]))
                constraint.index = highs.getNumRow() - 1

    # --- the public operations -------------------------------------------------------------

    def minimise_cost(self, limits: dict[Measure, float | None]) -> LoopResult:
        """The cheapest mix meeting every row and the given risk limits (money; None: no limit)."""
        for measure in Measure:
            self._set_limit(measure, limits.get(measure))
        return self._loop({m: limits.get(m) for m in Measure}, target=None)

    def minimise(self, measure: Measure, limits: dict[Measure, float | None]) -> LoopResult:
        """The least value of ``measure`` any mix meeting every row and the other limits reaches.

        Kelley's method on the measure itself: the LP's theta is a lower bound, the measure of
        its mix an upper bound; they meet (to 1e-9 relative) in finitely many rounds.
        """
        others = {m: (None if m is measure else limits.get(m)) for m in Measure}
        for m in Measure:
            self._set_limit(m, others[m])
        self._set_objective(measure)
        try:
            return self._loop(others, target=measure)
        finally:
            self._set_objective(None)

    def measure_cut(self, measure: Measure, x: FloatArray) -> TailCut:
        """The measure at ``x`` (decision units) and its cut."""
        if measure is Measure.CVAR:
            return cvar_cut(self.data.table, x, self.data.tail)
        return mean_cut(self.data.table, x)

    def cut_count(self, measure: Measure) -> int:
        """Cuts held for ``measure``."""
        return self.families[measure].cuts

    def cuts_of(self, measure: Measure) -> list[tuple[str, TailCut]]:
        """(row name, cut) of every cut held for ``measure``."""
        return list(self.families[measure].held)

    def limit_dual(self, measure: Measure) -> float:
        """Dual of the limit row after the last solve (annual cost per unit of money of the limit)."""
        return float(self.families[measure].limit.pi or 0.0)

    # --- the loop --------------------------------------------------------------------------

    def _loop(self, limits: dict[Measure, float | None], target: Measure | None) -> LoopResult:
        started = time.perf_counter()
        rounds = backoffs = 0
        while rounds < MAX_ROUNDS:
            outcome, detail = self._run(started)
            rounds += 1
            self.rounds += 1
            if outcome is not Outcome.OPTIMAL:
                return LoopResult(outcome, detail, np.zeros(0), {}, rounds)
            x = self._decisions()
            values: dict[Measure, float] = {}
            added = retry = False
            for measure, limit in limits.items():
                if limit is None and measure is not target:
                    continue
                cut = self.measure_cut(measure, x)
                values[measure] = cut.value
                gap = cut.value - self._theta(measure)  # how far the LP's theta is below the truth
                if measure is target:
                    if gap > LIMIT_RTOL * max(cut.value, self._floor()):
                        self._add_cut(measure, cut)
                        added = True
                elif limit is not None and cut.value > allowed(limit, self.model.scale):
                    if gap > LIMIT_RTOL * max(limit, self._floor()):
                        self._add_cut(measure, cut)
                        added = True
                    else:  # the LP met this very cut within its tolerance: tighten the row a little
                        self.families[measure].backoff += 2.0 * (cut.value - limit) + 1e-12 * self.model.scale
                        self._set_limit(measure, limit)
                        retry = True
            if not added and not retry:
                objective = self._theta(target) if target is not None else self._cost_value()
                self._sync()
                return LoopResult(Outcome.OPTIMAL, "optimal", x, values, rounds, objective)
            backoffs += int(retry and not added)
            if backoffs > _MAX_BACKOFFS:
                detail = "the limit rows cannot be met within tolerance"
                return LoopResult(Outcome.NOT_SOLVED, detail, x, values, rounds)
        return LoopResult(Outcome.NOT_SOLVED, f"no convergence in {MAX_ROUNDS} cut rounds", np.zeros(0), {}, rounds)

    def _floor(self) -> float:
        # An absolute scale for the tolerances when a measure is near zero: a thousandth of R.
        return float(self.model.scale) * 1e-3

    def _live(self) -> bool:
        return self.solver is SolverName.HIGHS and getattr(self.model.problem, "solverModel", None) is not None

    def _run(self, started: float) -> tuple[Outcome, str]:
        # The time limit bounds the whole loop, as it would one solve of the full model.
        limit = current_time_limit() if self.time_limit is None else self.time_limit
        remaining = limit - (time.perf_counter() - started)
        if remaining <= 0:
            return Outcome.TIME_LIMIT, f"stopped at the time limit of {limit:g} s (risk cut rounds)"
        if not self._live():
            run = solve(self.model, self.solver, remaining)
            return run.outcome, run.detail
        import highspy

        highs = self.model.problem.solverModel
        highs.setOptionValue("time_limit", remaining)
        highs.run()
        status = highs.getModelStatus()
        statuses = highspy.HighsModelStatus
        if status == statuses.kOptimal:
            self._values = list(highs.getSolution().col_value)
            return Outcome.OPTIMAL, "Optimal"
        if status in (statuses.kInfeasible, statuses.kUnboundedOrInfeasible):
            # Every theta is bounded below and costs are >= 0: never unbounded, so infeasible.
            return Outcome.INFEASIBLE, "Infeasible"
        if status == statuses.kTimeLimit:
            return Outcome.TIME_LIMIT, f"stopped at the time limit of {limit:g} s (risk cut rounds)"
        return Outcome.NOT_SOLVED, str(highs.modelStatusToString(status))

    def _value(self, var: pulp.LpVariable) -> float:
        if self._live():
            return float(self._values[var.index])
        return float(var.varValue or 0.0)

    def _decisions(self) -> FloatArray:
        model = self.model
        return np.array(
            [self._value(model.decisions[item.id]) * column_scale(item, model.scale) for item in model.case.instruments]
        )

    def _theta(self, measure: Measure) -> float:
        return self._value(self.families[measure].theta) * self.model.scale

    def _cost_value(self) -> float:
        return self.model.scale * sum(coefficient * self._value(var) for var, coefficient in self._cost)

    def _sync(self) -> None:
        # Values, duals and slacks of every PuLP variable and row (the mirrored ones included).
        if self._live():
            pulp.HiGHS(msg=False).findSolutionValues(self.model.problem)

    # --- rows and objective ----------------------------------------------------------------

    def _set_limit(self, measure: Measure, limit: float | None) -> None:
        family = self.families[measure]
        name = family.limit.name
        if limit is None:
            family.backoff = 0.0
            rhs = _NO_LIMIT
            self.model.rows.pop(name, None)
        else:
            rhs = (limit - family.backoff) / self.model.scale
            words = self.words.get(measure, str(measure))
            said = self.phrases.get(measure)
            self.model.rows[name] = Row(name, Family.RISK_LIMIT, limit, 0.0, note=words, note_phrase=said)
        family.limit.changeRHS(rhs)
        if self._live():
            self.model.problem.solverModel.changeRowBounds(family.limit.index, -_inf(), rhs)

    def _set_objective(self, target: Measure | None) -> None:
        terms = self._cost if target is None else [(self.families[target].theta, 1.0)]
        if not self._live():
            self.model.problem.setObjective(pulp.LpAffineExpression(terms))
            return
        highs = self.model.problem.solverModel
        count = highs.getNumCol()
        cost = np.zeros(count)
        for var, coefficient in terms:
            cost[var.index] = coefficient
        highs.changeColsCost(count, np.arange(count, dtype=np.int32), cost)

    def _add_cut(self, measure: Measure, cut: TailCut) -> None:
        family = self.families[measure]
        scale = self.model.scale
        terms: list[tuple[pulp.LpVariable, float]] = [(family.theta, 1.0)]
        for k, item in enumerate(self.model.case.instruments):
            coefficient = float(cut.slope[k]) * column_scale(item, scale) / scale
            if coefficient != 0.0:
                terms.append((self.model.decisions[item.id], coefficient))
        rhs = cut.constant / scale
        name = f"risk_cut__{measure}__{family.cuts}"
        constraint = pulp.LpConstraint(pulp.LpAffineExpression(terms), pulp.LpConstraintGE, name, rhs)
        self.model.problem += (constraint, name)
        self.model.rows[name] = Row(name, Family.RISK_CUT, rhs=cut.constant, rhs_per_requirement=0.0, note=str(measure))
        family.cuts += 1
        family.held.append((name, cut))
        if self._live():
            highs = self.model.problem.solverModel
            indices = np.array([var.index for var, _ in terms], dtype=np.int32)
            values = np.array([c for _, c in terms])
            highs.addRow(rhs, _inf(), len(terms), indices, values)
            constraint.index = highs.getNumRow() - 1


def allowed(limit: float, scale: float) -> float:
    """The most a measure may be and still meet ``limit``: 1e-9 relative (and 1e-12 R absolute)."""
    return limit * (1 + LIMIT_RTOL) + 1e-12 * scale


def _inf() -> float:
    import highspy

    return float(highspy.kHighsInf)
