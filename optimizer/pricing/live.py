"""LiveModel: one case's coverage model kept alive in HiGHS and re-solved warm at changed prices.

After PuLP's HiGHS solve, ``problem.solverModel`` is the live ``highspy.Highs`` object
(solver-notes.md, "Speed"): changing one cost coefficient and calling ``run()`` re-solves from
the last basis in a fraction of a millisecond on these models, where a rebuild costs
milliseconds. Every probe is read back in the case's terms and re-checked without the LP
(``verify_solution``); its annual cost is recomputed from the case terms and the bought
quantities, not taken from the solver.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from optimizer.case.schema import Case, Insurance
from optimizer.case.terms import AnyInstrument, price_of, unit_amount, unit_cost
from optimizer.coverage.model import build_model
from optimizer.coverage.rows import CoverageModel, column_scale
from optimizer.coverage.solve import Outcome, SolverName, solve
from optimizer.coverage.verify import verify_solution
from optimizer.rules.requirement import Basis, requirement_basis

# HiGHS's defaults (1e-7) are on the scaled model (money / R); pricing compares optimal costs
# at nearby prices, so it asks for two more digits. Checked on the random cases of
# tests/test_pricing_exact.py: every breakpoint is confirmed with these.
_FEASIBILITY_TOLERANCE = 1e-9


class PricingError(RuntimeError):
    """A re-solve did not prove an optimum that passes verification; no price is reported."""


@dataclass(frozen=True)
class Probe:
    """The optimum at one price of one instrument."""

    price: float
    """Value of the instrument's price field (premium_rate, premium, fee_rate, cost_rate)."""
    cost: float
    """Optimal annual cost of the whole mix at this price, money (recomputed from the case terms)."""
    quantity: float
    """What is bought of the instrument, in its decision's unit (share, units, amount)."""


def cost_per_price(item: AnyInstrument) -> float:
    """Annual money per unit of decision per unit of price: the limit for a layer (rate on line), else 1."""
    return item.limit if isinstance(item, Insurance) else 1.0


class LiveModel:
    """A case's coverage LP/MILP solved once by HiGHS and re-solved warm at changed prices.

    Parameters
    ----------
    case
        The case; it must be feasible.
    basis
        Its requirement (computed when not given).

    Raises
    ------
    PricingError
        If the case is infeasible, or the first solve is not a verified optimum.
    """

    def __init__(self, case: Case, basis: Basis | None = None) -> None:
        self.case = case
        self.basis = basis if basis is not None else requirement_basis(case)
        self.model: CoverageModel = build_model(case, self.basis)
        run = solve(self.model, SolverName.HIGHS)
        if run.outcome is not Outcome.OPTIMAL:
            msg = f"the case has no optimal mix to price ({run.detail})"
            raise PricingError(msg)
        self.highs: Any = self.model.problem.solverModel
        self.highs.setOptionValue("primal_feasibility_tolerance", _FEASIBILITY_TOLERANCE)
        self.highs.setOptionValue("dual_feasibility_tolerance", _FEASIBILITY_TOLERANCE)
        self.items = {item.id: item for item in case.instruments}
        self._columns = {item.id: self.model.decisions[item.id].index for item in case.instruments}
        self._base_cost = {item.id: unit_cost(item) for item in case.instruments}
        self.solves = 0
        self.base = self.read(None, 0.0)

    @property
    def is_mip(self) -> bool:
        """True when the model has integer decisions (each re-solve is then a MILP)."""
        return self.model.is_mip

    def coefficient(self, item_id: str, price: float) -> float:
        """The model's cost coefficient of the instrument at ``price`` (annual cost in units of R)."""
        item = self.items[item_id]
        return price * cost_per_price(item) * column_scale(item, self.model.scale) / self.model.scale

    def probe(self, item_id: str, price: float) -> Probe:
        """Re-solve warm with the instrument's price set to ``price`` (left set; see ``restore``)."""
        self.highs.changeColCost(self._columns[item_id], self.coefficient(item_id, price))
        self._run(f"{item_id} at price {price:.6g}")
        return self.read(item_id, price)

    def restore(self, item_id: str) -> None:
        """Put the instrument's own price back (the next probe of any instrument starts from it)."""
        self.highs.changeColCost(self._columns[item_id], self.coefficient(item_id, price_of(self.items[item_id])))

    def least_quantity(self, item_id: str) -> float:
        """The least the case can buy of the instrument and still be met (0 unless it is indispensable).

        Solves min x_j over the case's constraints (every other cost set to zero), then puts
        the costs back.
        """
        column = self._columns[item_id]
        count = self.highs.getNumCol()
        original = np.asarray(self.highs.getLp().col_cost_, dtype=float)
        objective = np.zeros(count)
        objective[column] = 1.0
        indices = np.arange(count, dtype=np.int32)
        self.highs.changeColsCost(count, indices, objective)
        try:
            self._run(f"the least of {item_id} the case needs")
            scale = column_scale(self.items[item_id], self.model.scale)
            least = max(0.0, float(self.highs.getSolution().col_value[column]) * scale)
        finally:
            self.highs.changeColsCost(count, indices, original)
        return least

    def fixed(self, item_id: str, quantity: float) -> Probe:
        """The optimum with the instrument's quantity fixed (its price then does not matter)."""
        scaled = quantity / column_scale(self.items[item_id], self.model.scale)
        with self._bounds(item_id, scaled, scaled):
            self._run(f"{item_id} fixed at {quantity:.6g}")
            return self.read(item_id, 0.0)

    def feasible_without(self, item_id: str) -> bool:
        """True when the case can be met without buying any of the instrument."""
        with self._bounds(item_id, 0.0, 0.0):
            return self._run(f"the case without {item_id}", allow_infeasible=True)

    @contextlib.contextmanager
    def _bounds(self, item_id: str, low: float, high: float) -> Iterator[None]:
        """Bound the instrument's column for a while; put the model's own bounds back after."""
        column = self._columns[item_id]
        lp = self.highs.getLp()
        saved = (float(lp.col_lower_[column]), float(lp.col_upper_[column]))
        self.highs.changeColBounds(column, low, high)
        try:
            yield
        finally:
            self.highs.changeColBounds(column, *saved)

    def read(self, item_id: str | None, price: float) -> Probe:
        """The current HiGHS solution in the case's terms, verified; ``price`` replaces ``item_id``'s."""
        values = self.highs.getSolution().col_value
        decisions = {}
        for item in self.case.instruments:
            value = float(values[self._columns[item.id]]) * column_scale(item, self.model.scale)
            decisions[item.id] = max(0.0, value)
        problems = verify_solution(self.case, self.basis, decisions)
        if problems:
            msg = "a re-solve returned a mix that fails the case's rules: " + "; ".join(problems)
            raise PricingError(msg)
        cost = 0.0
        for key, value in decisions.items():
            if key == item_id:
                cost += price * cost_per_price(self.items[key]) * value
            else:
                cost += self._base_cost[key] * value
        return Probe(price, cost, decisions[item_id] if item_id is not None else 0.0)

    def decisions(self) -> dict[str, float]:
        """The last solution's quantities, instrument id -> decision in its own unit."""
        values = self.highs.getSolution().col_value
        return {
            item.id: max(0.0, float(values[self._columns[item.id]]) * column_scale(item, self.model.scale))
            for item in self.case.instruments
        }

    def _run(self, what: str, *, allow_infeasible: bool = False) -> bool:
        import highspy

        self.highs.run()
        self.solves += 1
        status = self.highs.getModelStatus()
        statuses = highspy.HighsModelStatus
        if status == statuses.kUnboundedOrInfeasible:
            # Costs are >= 0, so this is infeasibility seen by presolve: confirm without it.
            self.highs.setOptionValue("presolve", "off")
            self.highs.run()
            self.solves += 1
            self.highs.setOptionValue("presolve", "choose")
            status = self.highs.getModelStatus()
        if status == statuses.kOptimal:
            return True
        if allow_infeasible and status == statuses.kInfeasible:
            return False
        msg = f"HiGHS did not prove an optimum for {what} ({self.highs.modelStatusToString(status)})"
        raise PricingError(msg)


def money_per_unit(item: AnyInstrument) -> float:
    """Money bought per unit of the decision (limit, payout or 1), for reporting demand in money."""
    return unit_amount(item)
