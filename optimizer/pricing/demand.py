"""The exact demand curve of one instrument for one exchange (model.md section 6).

Let V(p) be the optimal annual cost of the case when the instrument's price field is p. It is
the minimum over feasible mixes of functions linear in p, so it is concave and piecewise
linear, and any optimal mix at p gives a supergradient: dV/dp = (money per unit of price) x
(quantity bought). The quantity bought is therefore a non-increasing step function of p, the
same at every optimum except at its breakpoints, where V has a kink. That is what makes the
method immune to degenerate LPs: it reads the value function, never a dual, so "a reduced cost
of zero" can never pass for an entry price.

The breakpoints are found by the tangent-intersection ("sandwich") method of parametric
programming (Eisner & Severance, "Mathematical techniques for efficient record segmentation in
large shared databases", J. ACM 23 (1976); the same scheme as the NISE method for bi-objective
LPs, Cohon 1978): two supporting lines of V, at prices a < b with quantities q_a > q_b, meet at
p*. Re-solve at p*; if V(p*) lies on both lines, V is exactly those two lines on [a, b] and p*
is the only breakpoint between them; otherwise the new tangent at p* splits the interval.
Each breakpoint costs about two warm re-solves. On the right the recursion is closed by the
asymptote of V: for p above the last breakpoint, V(p) = W + p x (money per unit of price) x q_min,
where q_min is the least the case can buy (0 unless the instrument is indispensable) and W the
cheapest mix with that quantity. Where HiGHS's cost ranging says the basis stays optimal up
to p* (``getRanging``), V is linear to p* and that re-solve is skipped.

Every breakpoint is then confirmed by re-solving just below and just above it: more must be
bought below than above.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from optimizer.case.terms import PRICE_FIELD, price_of, upper_bound
from optimizer.coverage.rows import column_scale
from optimizer.pricing.live import LiveModel, PricingError, Probe, cost_per_price, money_per_unit

# Re-solves allowed for one curve before giving up (a curve has at most a few breakpoints per
# instrument and constraint it interacts with; 2,000 is far beyond any case we have seen).
MAX_SOLVES = 2_000
# Distance of the confirming re-solves from a breakpoint: 1e-6 of the price, or farther where
# HiGHS's optimality tolerance needs it. A re-solve only tells two mixes apart once their cost
# per unit of decision differs by more than the dual feasibility tolerance (1e-9 on the scaled
# costs, optimizer/pricing/live.py); 100 times that is the nearest we confirm.
CONFIRM = 1e-6
_CONFIRM_DUAL = 100 * 1e-9


@dataclass(frozen=True)
class Breakpoint:
    """A price at which the quantity bought drops."""

    price: float
    below: float
    """Quantity bought just below the price (decision unit)."""
    above: float
    """Quantity bought just above the price."""
    confirmed: bool
    """True when re-solves just below and just above the price (1e-6 of it, or as near as the
    solver's tolerance allows) bought more below than above."""


@dataclass(frozen=True)
class Step:
    """One flat piece of the demand curve: ``quantity`` is bought at prices in (low, high)."""

    low: float
    high: float | None
    """None: every price above ``low``."""
    quantity: float
    amount: float
    """Money bought: quantity x limit (layer), x payout (parametric), or the amount itself."""


@dataclass(frozen=True)
class DemandCurve:
    """Quantity bought of one instrument as a function of its own price, exactly."""

    instrument: str
    kind: str
    price_field: str
    current: float
    """The case's price."""
    money_per_unit: float
    start: float
    """Quantity bought at prices just above zero."""
    breakpoints: tuple[Breakpoint, ...]
    """Ascending; empty when the quantity never changes."""
    least: float
    """Quantity bought at every price above the last breakpoint (0 unless indispensable)."""
    solves: int = 0
    """Re-solves this curve took (confirmations included)."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def quantity_at(self, price: float) -> float:
        """Quantity bought at ``price``; at a breakpoint itself (a tie) the smaller, ``above``."""
        quantity = self.start
        for point in self.breakpoints:
            if price >= point.price:
                quantity = point.above
        return quantity

    @property
    def entry_price(self) -> float | None:
        """The largest price at which the instrument is bought at some optimum.

        None when it never drops out (the case cannot be met without it); 0.0 when it is
        bought at no positive price.
        """
        if self.least > 0:
            return None
        if not self.breakpoints:
            return 0.0 if self.start == 0 else None
        return self.breakpoints[-1].price

    def cut_price(self, price: float) -> float | None:
        """The lowest breakpoint above ``price``: where less starts to be bought (None: never)."""
        for point in self.breakpoints:
            if point.price > price:
                return point.price
        return None

    def steps(self) -> tuple[Step, ...]:
        """The curve as flat pieces, from price 0 upwards."""
        edges = [0.0, *(point.price for point in self.breakpoints)]
        quantities = [self.start, *(point.above for point in self.breakpoints)]
        highs: list[float | None] = [*edges[1:], None]
        return tuple(
            Step(low, high, quantity, quantity * self.money_per_unit)
            for low, high, quantity in zip(edges, highs, quantities, strict=True)
        )


@dataclass(frozen=True)
class _Line:
    """A supporting line of V: cost = intercept + slope x price, from a probe (or the asymptote)."""

    intercept: float
    slope: float
    quantity: float
    price: float | None
    """Where it touches V (None: the asymptote at infinite price)."""
    ranging_high: float | None = None
    """HiGHS's cost ranging: the basis of this probe stays optimal up to this price."""


def demand_curve(live: LiveModel, item_id: str) -> DemandCurve:
    """The exact demand curve of ``item_id`` in the case of ``live`` (see the module docstring).

    Raises
    ------
    PricingError
        If a re-solve fails, or the curve needs more than MAX_SOLVES re-solves.
    """
    item = live.items[item_id]
    started = live.solves
    per_price = cost_per_price(item)
    scale = live.basis.amount
    # Quantities equal within 1e-7 of the decision's scaled unit (a share, a unit, 1e-7 R of
    # money) are the same; costs within 1e-8 R (tighter for an LP, looser for a MILP's gap).
    tol_quantity = 1e-7 * column_scale(item, live.model.scale)
    bound = upper_bound(item)
    notes: list[str] = []
    try:
        if bound == 0:
            notes.append("none of it is on offer (zero capacity): it is bought at no price")
            return _curve(live, item_id, 0.0, (), 0.0, started, notes)
        if live.feasible_without(item_id):
            least = 0.0
        else:
            least = live.least_quantity(item_id)
        tol_cost = 1e-8 * scale
        if live.is_mip:  # a MILP stops within a relative gap of 1e-7 (optimizer/coverage/solve.py)
            tol_cost += 2e-7 * live.base.cost
        at_least = live.fixed(item_id, least)
        asymptote = _Line(at_least.cost, per_price * least, least, None)
        first = live.probe(item_id, 0.0)
        start = _line(live, item_id, first, per_price)
        found = _sandwich(live, item_id, start, asymptote, per_price, tol_quantity, tol_cost)
        breakpoints = _confirm(live, item_id, _merge(found, tol_quantity), tol_quantity)
        # A kink at price zero is a tie among free mixes, not a price at which anything enters.
        zero = [point for point in breakpoints if point.price <= _eps(breakpoints, price_of(item))]
        breakpoints = [point for point in breakpoints if point not in zero]
        quantity_start = zero[-1].above if zero else first.quantity
        if quantity_start <= tol_quantity:
            quantity_start = 0.0
        return _curve(live, item_id, quantity_start, tuple(breakpoints), least, started, notes)
    finally:
        live.restore(item_id)


def _curve(
    live: LiveModel,
    item_id: str,
    start: float,
    breakpoints: tuple[Breakpoint, ...],
    least: float,
    started: int,
    notes: list[str],
) -> DemandCurve:
    item = live.items[item_id]
    return DemandCurve(
        instrument=item_id,
        kind=str(item.kind),
        price_field=PRICE_FIELD[item.kind],
        current=price_of(item),
        money_per_unit=money_per_unit(item),
        start=start,
        breakpoints=breakpoints,
        least=least,
        solves=live.solves - started,
        notes=tuple(notes),
    )




def _line(live: LiveModel, item_id: str, probe: Probe, per_price: float) -> _Line:
    slope = per_price * probe.quantity
    return _Line(probe.cost - slope * probe.price, slope, probe.quantity, probe.price, _ranging_high(live, item_id))


# HiGHS ranges every row and column at once: 0.01 ms on a 10-instrument case (29 columns,
# 38 rows), where a warm re-solve with its verification takes 0.5 ms, but 29 ms on a
# 300-instrument case, where the re-solve it might save takes 2-4 ms. Ranging is used only
# on models up to this many rows and columns together.
_RANGING_SIZE = 500


def _ranging_high(live: LiveModel, item_id: str) -> float | None:
    """The price up to which HiGHS says the current basis stays optimal (small LPs only)."""
    if live.is_mip or live.highs.getNumCol() + live.highs.getNumRow() > _RANGING_SIZE:
        return None
    status, ranging = live.highs.getRanging()
    if int(status) != 0:  # HighsStatus.kOk; ranging is not valid otherwise
        return None
    column = live.model.decisions[item_id].index
    high = float(ranging.col_cost_up.value_[column])
    per_unit = live.coefficient(item_id, 1.0)
    return high / per_unit if per_unit > 0 and high < 1e30 else None


def _sandwich(
    live: LiveModel,
    item_id: str,
    left: _Line,
    right: _Line,
    per_price: float,
    tol_quantity: float,
    tol_cost: float,
) -> list[Breakpoint]:
    found: list[Breakpoint] = []
    stack = [(left, right)]
    while stack:
        a, b = stack.pop()
        if a.quantity - b.quantity <= tol_quantity:
            continue  # equal supergradients at both ends: V is one line between them
        price = (b.intercept - a.intercept) / (a.slope - b.slope)
        low = a.price if a.price is not None else 0.0
        price = max(price, low)
        if b.price is not None:
            price = min(price, b.price)
        eps = 1e-9 * max(abs(price), abs(low), 1e-12)
        if price - low <= eps or (b.price is not None and b.price - price <= eps):
            found.append(Breakpoint(price, a.quantity, b.quantity, False))
            continue
        if a.ranging_high is not None and a.ranging_high >= price * (1 - 1e-12):
            # The basis at a stays optimal up to the intersection, so V follows a's line there.
            found.append(Breakpoint(price, a.quantity, b.quantity, False))
            continue
        if live.solves > MAX_SOLVES + 10:
            msg = f"the demand curve of {item_id} needed more than {MAX_SOLVES} re-solves"
            raise PricingError(msg)
        middle = live.probe(item_id, price)
        if middle.cost >= a.intercept + a.slope * price - tol_cost:
            found.append(Breakpoint(price, a.quantity, b.quantity, False))
            continue
        line = _line(live, item_id, middle, per_price)
        stack += [(line, b), (a, line)]
    return found


def _merge(found: list[Breakpoint], tol_quantity: float) -> list[Breakpoint]:
    """One breakpoint per price: the sandwich can meet a kink from both sides."""
    merged: list[Breakpoint] = []
    for point in sorted(found, key=lambda p: p.price):
        if merged and point.price - merged[-1].price <= 1e-9 * max(abs(point.price), 1e-12):
            last = merged[-1]
            merged[-1] = Breakpoint(last.price, max(last.below, point.below), min(last.above, point.above), False)
        else:
            merged.append(point)
    return [point for point in merged if point.below - point.above > tol_quantity]


def _confirm(live: LiveModel, item_id: str, points: list[Breakpoint], tol_quantity: float) -> list[Breakpoint]:
    """Re-solve just below and just above every breakpoint; more must be bought below."""
    confirmed = []
    for point in points:
        if point.price <= 0:
            confirmed.append(point)
            continue
        # A MILP's re-solves are only as exact as its gap: confirm farther out (1e-4 of the price).
        relative = 100 * CONFIRM if live.is_mip else CONFIRM
        offset = max(relative * point.price, _CONFIRM_DUAL / live.coefficient(item_id, 1.0))
        below = live.probe(item_id, max(point.price - offset, 0.0)).quantity
        above = live.probe(item_id, point.price + offset).quantity
        ok = below - above > tol_quantity
        confirmed.append(Breakpoint(point.price, point.below, point.above, ok))
    return confirmed


def _eps(points: list[Breakpoint], current: float) -> float:
    scale = max([current, *(point.price for point in points)], default=0.0)
    return 1e-9 * scale if scale > 0 else 0.0
