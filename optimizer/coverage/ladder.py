"""The ladder test's breakpoints and how each instrument's payment changes across them.

Funds available for a single loss b (model.md section 2) are, for breakpoints b_1 < ... < b_K,

    F(b_k) = Z_k + b_k * A_k - B_k

where Z_k is the money from everything that pays a fixed amount at b_k (cash and guarantees
from the first yen, layers already exhausted, parametric cover already triggered), A_k is the
sum of credit x share over layers paying part of their width at b_k, and B_k the same sum
weighted by attachment (a partly used layer pays credit x share x (b - a)). Each instrument
enters these sums once and leaves once, so the LP writes them as running totals and every
instrument appears in O(1) rows instead of in every ladder row: the test is the same, the
matrix has O(instruments + breakpoints) entries instead of O(instruments x breakpoints).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from optimizer.case.schema import Case, Insurance, Parametric


def ladder_losses(case: Case, requirement: float) -> list[float]:
    """Breakpoints of the ladder test: attachments, exhaustion points, triggers in (0, R], and R.

    Both sides of the ladder inequality are piecewise linear in the loss size between these
    points, so checking them is exact (model.md section 2).
    """
    points = {requirement}
    for item in case.instruments:
        if isinstance(item, Insurance):
            points.update((item.attachment, item.attachment + item.limit))
        elif isinstance(item, Parametric):
            points.add(item.trigger)
    return sorted(point for point in points if 0 < point <= requirement)


@dataclass
class LadderEvents:
    """For each breakpoint index k, which instruments change how they pay at b_k."""

    losses: list[float]
    fixed_from: dict[int, list[str]] = field(default_factory=dict)
    """k -> ids that pay a fixed amount from b_k on (first yen, exhausted layer, triggered)."""
    partial_from: dict[int, list[str]] = field(default_factory=dict)
    """k -> layer ids that start paying part of their width at b_k."""
    partial_until: dict[int, list[str]] = field(default_factory=dict)
    """k -> layer ids that stop paying partly at b_k (they are exhausted there)."""


def ladder_events(case: Case, requirement: float) -> LadderEvents:
    """Where each instrument enters and leaves the running totals Z, A and B."""
    losses = ladder_losses(case, requirement)
    events = LadderEvents(losses)
    count = len(losses)
    for item in case.instruments:
        if isinstance(item, Insurance):
            # Partly paying where a < b < a + l; fully from the first breakpoint >= a + l.
            start = bisect.bisect_right(losses, item.attachment)
            full = bisect.bisect_left(losses, item.attachment + item.limit)
            if start < full:
                events.partial_from.setdefault(start, []).append(item.id)
                if full < count:
                    events.partial_until.setdefault(full, []).append(item.id)
            if full < count:
                events.fixed_from.setdefault(full, []).append(item.id)
        elif isinstance(item, Parametric):
            # Pays once the loss is strictly above the trigger (left limit at the trigger).
            triggered = bisect.bisect_right(losses, item.trigger)
            if triggered < count:
                events.fixed_from.setdefault(triggered, []).append(item.id)
        else:
            events.fixed_from.setdefault(0, []).append(item.id)
    return events
