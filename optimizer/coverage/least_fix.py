"""The least change of one knob that makes an infeasible case feasible, confirmed by re-solving.

Changes are measured from the knob's current value towards its loosest (optimizer/coverage/
knobs.py); every knob is monotone, so the values that work form one interval ending at the
loosest value, and its end is found as follows.

1. **Lower bound from the relaxed LP.** The elastic copy of the model with only the knob's
   row(s) soft, minimising their slack, gives the least change for which the relaxed LP is
   feasible. Whole units, minimum lines and all-or-nothing layers only shrink the feasible set,
   so every smaller change also fails for the case itself. No slack that works: no fix.
2. **Try the bound.** The case with the knob moved by the bound (rounded up to four significant
   digits of the change) is re-solved, with its integer terms. For a pure LP the bound is
   exact and this one re-solve confirms it.
3. **Search past it.** Otherwise the case is re-solved at the loosest value (the limit removed
   where it can be): if that fails, no value of this knob works. Else the largest change known
   to fail and the smallest known to work are closed by bisection (after doubling, for a knob
   without a loosest value) until they are within ``RELATIVE_TOLERANCE`` of the change, or one
   unit of currency (1e-9 x R when larger) converted to the knob's unit.
4. **Propose** the smallest change known to work, rounded up to four significant digits (a
   number a user would type; never below one that works), or fewer digits where a re-solve
   shows that a rounder change just above the largest that failed works too (50%, not
   50.01%); whole for units bought whole. The case is re-solved at that value for its cost.

The proposal is thus at most ~0.2% of the change above the least change that works. Every
solve (the relaxed LP's and the case's) is counted against a ``Budget``, so a case with many
knobs cannot run for ever; a count rather than a clock keeps the answer the same on any machine.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from optimizer.case.schema import Case
from optimizer.coverage.knobs import Knob
from optimizer.coverage.model import build_model
from optimizer.coverage.solve import Outcome, SolverName, solve
from optimizer.rules.requirement import Basis

RELATIVE_TOLERANCE = 1e-3
"""Bisection stops when the change known to work is within this fraction of itself of one
known to fail (then rounding up to four significant digits adds at most as much again)."""
MONEY_RESOLUTION = 1e-9
"""Finest step in money as a fraction of R (or one unit of currency, if larger)."""
TOLERANCE_WORDS = "0.2% of the change, or one unit of currency (1e-9 x R if larger)"
MAX_DOUBLINGS = 200


def round_up(value: float, digits: int = 4) -> float:
    """Round up to ``digits`` significant digits, after forgiving solver noise of 1e-9.

    The proposal a user reads (80%, ¥5.0bn) is then a number they would type, and it is never
    below the least loosening that works.
    """
    if value <= 0:
        return 0.0
    step = 10.0 ** (math.floor(math.log10(value)) - digits + 1)
    return float(math.ceil(value * (1 - 1e-9) / step) * step)


class OutOfBudget(Exception):
    """The diagnosis used all the solves it may."""


@dataclass
class Budget:
    """Re-solves of the true model a diagnosis may spend, and how many it spent."""

    limit: int
    used: int = 0

    def spend(self) -> None:
        """Count one re-solve, or raise OutOfBudget when none is left."""
        if self.used >= self.limit:
            raise OutOfBudget
        self.used += 1


@dataclass(frozen=True)
class Found:
    """The least value of a knob found to work, and the optimal cost of the case with it."""

    value: float | None
    """The proposed value; None when the least change that works is removing the field."""
    cost: float
    cut_short: bool = False
    """True when the budget ran out before the search closed in on the least change."""


class LeastFix:
    """Finds the least change of each knob of one infeasible case (see the module docstring)."""

    def __init__(
        self,
        case: Case,
        basis: Basis,
        solver: SolverName,
        optimise: Callable[[Case], float | None],
        budget: Budget,
    ) -> None:
        self.case = case
        self.basis = basis
        self.solver = solver
        self.optimise = optimise
        self.budget = budget

    def least(self, knob: Knob) -> Found | None:
        """The least value of ``knob`` that makes the case feasible, or None if none does.

        Raises
        ------
        OutOfBudget
            When the budget runs out before any value of this knob is known to work.
        """
        search = _Search(self, knob)
        bound = self._lower_bound(knob)
        if bound is None or bound > search.widest * (1 + 1e-9) + search.resolution:
            return None
        return search.run(bound)

    def _lower_bound(self, knob: Knob) -> float | None:
        # Step 1: the least slack of the knob's rows in the relaxed LP, as a change of the knob.
        if knob.elastic is None:
            return 0.0
        self.budget.spend()  # an LP, cheaper than a re-solve of the case, but counted alike
        model = build_model(self.case, self.basis, knob.elastic)
        if solve(model, self.solver).outcome is not Outcome.OPTIMAL:
            return None
        slack = float(sum((var.varValue or 0.0) for var in model.relaxations.values()))
        return max(slack, 0.0) * model.scale * knob.per_money


class _Search:
    """One knob's search; changes are measured from the current value towards the loosest."""

    def __init__(self, owner: LeastFix, knob: Knob) -> None:
        self.owner = owner
        self.knob = knob
        self.costs: dict[float, float | None] = {}
        requirement = owner.basis.amount
        self.resolution = 1.0 if knob.whole else knob.per_money * max(1.0, MONEY_RESOLUTION * requirement)
        self.base = math.floor(knob.current + 1e-9) if knob.whole else knob.current
        if knob.loosest is not None:
            self.widest = abs(knob.loosest - knob.current)
        elif knob.rises:
            self.widest = math.inf
        else:
            self.widest = knob.current  # a minimum line: down to none at all
        # Where doubling starts when nothing bounds the change: 1% of R, or one whole unit.
        self.start = 1.0 if knob.whole else max(self.resolution, 0.01 * requirement * knob.per_money)

    def value(self, change: float) -> float | None:
        """The knob's value after ``change`` (None: the field removed)."""
        knob = self.knob
        if change >= self.widest and knob.loosest is None:
            return None
        if knob.whole:
            return float(self.base + round(change))
        value = knob.current + change if knob.rises else knob.current - change
        if knob.loosest is not None:  # float noise must not carry a fraction past its bound
            value = min(value, knob.loosest) if knob.rises else max(value, knob.loosest)
        # 12 significant digits: 0.064 + 0.2719 reads 0.3359, not 0.33590000000000003.
        return float(f"{value:.12g}")

    def cost(self, change: float) -> float | None:
        """Optimal cost of the case with the knob moved by ``change``, None while infeasible."""
        if change not in self.costs:
            self.owner.budget.spend()
            value = self.value(change)
            self.costs[change] = self.owner.optimise(self.knob.apply(self.owner.case, value))
        return self.costs[change]

    def proposal(self, change: float) -> float:
        """A change a user would type: whole units, or four significant digits, never past the widest."""
        if self.knob.whole:
            return float(math.ceil(change - 1e-9))
        return min(round_up(change), self.widest)

    def run(self, bound: float) -> Found | None:
        failed = 0.0  # the largest change known to fail: the current value fails
        if bound > 0:
            if self.knob.whole:  # the least whole number of units at or above current + bound
                first = max(1.0, math.ceil(self.knob.current + bound - 1e-9) - self.base)
            else:
                first = self.proposal(bound)
            if self.cost(first) is not None:
                return self._found(first)
            failed = first
        works = self._first_that_works(failed)
        if works is None:
            return None
        try:
            while works - failed > max(RELATIVE_TOLERANCE * works, self.resolution):
                middle = (works + failed) / 2
                if self.knob.whole:
                    middle = float(math.floor(middle))
                    if middle <= failed:
                        break
                if self.cost(middle) is None:
                    failed = middle
                else:
                    works = middle
        except OutOfBudget:
            return self._found(works, cut_short=True)
        proposed = self.proposal(works)
        try:
            proposed = self._roundest(failed, proposed)
            if self.cost(proposed) is None:  # cannot happen for a monotone knob; never propose it
                proposed = works
        except OutOfBudget:
            proposed = works if self.costs.get(proposed) is None else proposed
        return self._found(proposed)

    def _roundest(self, failed: float, proposed: float) -> float:
        # The bisection ends just past the least change (50.01% for 50%): try the numbers with
        # fewer significant digits just above the largest change that failed, fewest first.
        if self.knob.whole or failed <= 0:
            return proposed
        for digits in range(1, 4):
            step = 10.0 ** (math.floor(math.log10(failed)) - digits + 1)
            rounder = (math.floor(failed / step) + 1) * step
            if rounder < proposed and self.cost(rounder) is not None:
                return rounder
        return proposed

    def _first_that_works(self, failed: float) -> float | None:
        # The loosest value, or for a knob without one, doubling from the last change that failed.
        if math.isfinite(self.widest):
            return self.widest if self.cost(self.widest) is not None else None
        self.owner.budget.spend()
        if self.owner.optimise(self.knob.apply(self.owner.case, None)) is None:
            return None  # not even without the limit
        change = max(2 * failed, self.start)
        for _ in range(MAX_DOUBLINGS):
            if self.cost(change) is not None:
                return change
            change *= 2
        return None

    def _found(self, change: float, cut_short: bool = False) -> Found:
        cost = self.costs[change]
        assert cost is not None
        value = self.value(change)
        return Found(value=value, cost=cost, cut_short=cut_short)
