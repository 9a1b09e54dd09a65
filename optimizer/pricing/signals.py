"""Exact entry, cut and drop-out prices for every instrument of a solved case (model.md section 6).

``optimize_priced`` is ``optimize`` followed by ``exact_signals``: the answer's
``not_bought[].break_even`` becomes the exact entry price (the largest price at which the
instrument is bought at some optimum, from its demand curve, confirmed by re-solves), and
``bought[]`` gives, for what is bought, the price at which its quantity is first cut and the
price above which it drops out. The reduced-cost estimate from the duals is kept only where
the exact figure cannot be had, and is then flagged ``exact=False``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from optimizer.case.schema import Case
from optimizer.coverage.pipeline import optimize
from optimizer.coverage.solution import DemandStep, PriceSignal, Solution, Status
from optimizer.coverage.solve import SolverName
from optimizer.pricing.demand import DemandCurve, demand_curve
from optimizer.pricing.live import LiveModel, PricingError
from optimizer.risk.scenarios import Scenarios

EXACT_NOTE = (
    "entry, cut and drop-out prices are exact: found by re-solving the model at changed prices "
    "and confirmed just below and just above each (not read from the duals)"
)


# Each curve takes a handful of warm re-solves (about 1-5 ms on a 10-instrument case, 10 ms at
# 100 instruments); past this many instruments the rest keep their dual estimates, and the
# answer says so, so that a 1,000-instrument case still answers in seconds.
MAX_EXACT = 100


def optimize_priced(
    case: Case,
    solver: SolverName | str = SolverName.HIGHS,
    time_limit: float | None = None,
    max_exact: int = MAX_EXACT,
    scenarios: Scenarios | None = None,
    base_dir: Path | None = None,
) -> Solution:
    """The optimal mix with exact prices for its instruments (see the module docstring).

    With risk limits (issue #10) the answer keeps the duals' estimates: the live model of the
    demand curves holds the rule and policy rows but not the risk cuts, and its prices would be
    those of another problem. The estimates do include the cuts' duals.
    """
    solution = optimize(case, solver, time_limit, scenarios=scenarios, base_dir=base_dir)
    if solution.status is not Status.OPTIMAL:
        return solution
    if solution.risk_limits:
        note = "; with risk limits, entry prices are the duals' estimates (the exact demand curves omit the risk rows)"
        return replace(solution, duals_note=solution.duals_note + note)
    return exact_signals(case, solution, max_exact)


def exact_signals(case: Case, solution: Solution, max_exact: int = MAX_EXACT) -> Solution:
    """``solution`` with exact ``not_bought`` and ``bought`` price signals.

    Instruments not bought come first (their ``break_even`` is the figure the duals get wrong
    in degenerate cases), then those bought, up to ``max_exact`` curves. An instrument beyond
    that, or whose curve cannot be found (a re-solve fails), keeps its dual estimate, if any,
    flagged ``exact=False``; the answer is never withheld for it.
    """
    try:
        live = LiveModel(case)
    except PricingError:
        return solution
    estimates = {signal.id: signal for signal in solution.not_bought}
    # Instruments offered with zero capacity cannot be bought at any price: the answer lists
    # them in not_on_offer, with no signal.
    offered = [a for a in solution.allocations if a.id not in set(solution.not_on_offer)]
    order = sorted(offered, key=lambda allocation: allocation.amount > 0)
    signals: dict[str, PriceSignal] = {}
    skipped = 0
    for allocation in order:
        if len(signals) >= max_exact:
            skipped += 1
            continue
        try:
            curve = demand_curve(live, allocation.id)
        except PricingError:
            continue
        signals[allocation.id] = signal_from_curve(curve, allocation.amount > 0)
    not_bought = [signals.get(a.id, estimates.get(a.id)) for a in offered if a.amount <= 0]
    bought = [signals[a.id] for a in offered if a.amount > 0 and a.id in signals]
    note = solution.duals_note
    if skipped:
        note += (
            f"; exact prices for {len(signals)} instruments, the other {skipped} keep the estimate "
            f"from the duals (exact=false): at most {max_exact} demand curves per answer"
        )
    return replace(
        solution,
        not_bought=tuple(signal for signal in not_bought if signal is not None),
        bought=tuple(bought),
        duals_note=note,
    )


def signal_from_curve(curve: DemandCurve, is_bought: bool) -> PriceSignal:
    """A price signal read off an exact demand curve."""
    entry = curve.entry_price
    per_price = curve.money_per_unit if curve.kind == "insurance" else 1.0
    # Exact reduced cost: what a unit of the decision costs above the price at which it enters.
    reduced = 0.0 if is_bought or entry is None else per_price * (curve.current - entry)
    return PriceSignal(
        id=curve.instrument,
        kind=curve.kind,
        price_field=curve.price_field,
        current=curve.current,
        reduced_cost=max(reduced, 0.0),
        break_even=entry,
        cut_price=curve.cut_price(curve.current) if is_bought else None,
        exact=all(point.confirmed for point in curve.breakpoints),
        demand=tuple(DemandStep(s.low, s.high, s.quantity, s.amount) for s in curve.steps()),
    )
