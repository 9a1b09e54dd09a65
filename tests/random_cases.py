"""A seeded generator of random, valid case dicts for cross-checks and invariants.

``random_case(rng)`` returns the raw data of a case (what a YAML file would load to), always
valid for ``check_case``: 1-12 instruments of all four kinds, layers with gaps and overlaps
(and on purpose sometimes touching, sharing an attachment, or ending exactly at R), triggers
sometimes placed exactly on a breakpoint, every optional policy constraint, both coverage
modes, and R anywhere from 1e5 to 1e13. About a quarter of the cases are drawn "tight"
(every instrument capped, low caps and high floors), so a share of them is infeasible.

Amounts are whole units of the currency, as users write them. Integer terms (min_share,
all_or_nothing, integer_units) appear only with ``integer_terms=True``, so the default
cases are pure LPs that an independent LP solver can check.
"""

from __future__ import annotations

import random
from typing import Any

KINDS = ("cash", "guarantee", "insurance", "parametric")
COUNTERPARTIES = ("Bank A", "Bank B", "Syndicate 1", "Insurer C", "Dealer D", "Trust E")
CURRENCIES = ("JPY", "EUR", "USD", "HKD")


def _money(value: float) -> int:
    """Whole units of the currency, at least 1."""
    return max(1, round(value))


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return float(10 ** rng.uniform(low, high))


def _credit(rng: random.Random) -> float:
    return 1.0 if rng.random() < 0.6 else round(rng.uniform(0.3, 1.0), 3)


def _cash(rng: random.Random, index: int, requirement: int, tight: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"id": f"cash-{index}", "kind": "cash"}
    # Zero opportunity cost (cash already held) is allowed and makes ties.
    item["cost_rate"] = 0.0 if rng.random() < 0.05 else round(rng.uniform(0.005, 0.08), 4)
    if tight or rng.random() < 0.3:
        item["max_amount"] = _money(requirement * rng.uniform(0.02, 0.5 if tight else 1.2))
    if rng.random() < 0.2:
        item["counterparty"] = rng.choice(COUNTERPARTIES)
    return item


def _guarantee(rng: random.Random, index: int, requirement: int, tight: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"lc-{index}",
        "kind": "guarantee",
        "counterparty": rng.choice(COUNTERPARTIES),
        "fee_rate": round(rng.uniform(0.002, 0.04), 4),
        "credit": _credit(rng),
        "payout_days": rng.randint(0, 60),
    }
    if tight or rng.random() < 0.7:
        item["max_amount"] = _money(requirement * rng.uniform(0.02, 0.3 if tight else 0.8))
    return item


def _insurance(
    rng: random.Random, index: int, requirement: int, points: list[int], tight: bool, integer_terms: bool
) -> dict[str, Any]:
    # Attachments: from the ground, anywhere up to past R, or on an earlier breakpoint (a
    # layer stacked exactly on another, or two layers sharing an attachment).
    draw = rng.random()
    if draw < 0.15:
        attachment = 0
    elif draw < 0.4 and points:
        attachment = rng.choice(points)
    else:
        attachment = _money(requirement * rng.uniform(0.0, 1.2))
    if rng.random() < 0.1 and attachment < requirement:
        limit = requirement - attachment  # the layer is exhausted exactly at R
    elif rng.random() < 0.1:
        limit = _money(requirement * _log_uniform(rng, -4, -1))  # a very thin layer
    else:
        limit = _money(requirement * rng.uniform(0.05, 1.0))
    item: dict[str, Any] = {
        "id": f"xl-{index}",
        "kind": "insurance",
        "counterparty": rng.choice(COUNTERPARTIES),
        "attachment": attachment,
        "limit": limit,
        "premium_rate": round(rng.uniform(0.003, 0.12), 4),
        "credit": _credit(rng),
        "payout_days": rng.randint(0, 180),
    }
    if tight or rng.random() < 0.5:
        item["max_share"] = round(rng.uniform(0.05, 0.6 if tight else 1.0), 3)
    if integer_terms:
        high = item.get("max_share", 1.0)
        draw = rng.random()
        if draw < 0.25:
            item["min_share"] = round(rng.uniform(0.01, high), 3)
        elif draw < 0.4:
            item["all_or_nothing"] = True
    points.extend((attachment, attachment + limit))
    return item


def _parametric(
    rng: random.Random, index: int, requirement: int, points: list[int], tight: bool, integer_terms: bool
) -> dict[str, Any]:
    if rng.random() < 0.3 and points:
        trigger = rng.choice(points)  # exactly on an attachment, an exhaustion point or R
    else:
        trigger = _money(requirement * rng.uniform(0.0, 1.1))
    payout = _money(requirement * rng.uniform(0.02, 0.6))
    item: dict[str, Any] = {
        "id": f"cat-{index}",
        "kind": "parametric",
        "counterparty": rng.choice(COUNTERPARTIES),
        "trigger": trigger,
        "payout": payout,
        "premium": _money(payout * rng.uniform(0.002, 0.12)),
        "credit": _credit(rng),
        "payout_days": rng.randint(0, 60),
    }
    if tight or rng.random() < 0.6:
        item["max_units"] = rng.choice([1, 2, 3, 0.5, round(rng.uniform(0.1, 4.0), 2)])
    if integer_terms and rng.random() < 0.4:
        item["integer_units"] = True
    points.append(trigger)
    return item


def _constraints(rng: random.Random, tight: bool) -> dict[str, Any]:
    chance = 0.6 if tight else 0.35
    constraints: dict[str, Any] = {}
    if rng.random() < chance:
        constraints["min_cash_fraction"] = round(rng.uniform(0.0, 0.6 if tight else 0.4), 3)
    if rng.random() < chance:
        constraints["max_counterparty_fraction"] = round(rng.uniform(0.15 if tight else 0.3, 1.0), 3)
    if rng.random() < chance:
        constraints["max_insurance_fraction"] = round(rng.uniform(0.0, 1.0), 3)
    if rng.random() < chance:
        constraints["liquidity"] = {"days": rng.randint(0, 90), "min_fraction": round(rng.uniform(0.0, 0.7), 3)}
    return constraints


def random_case(
    rng: random.Random, *, integer_terms: bool = False, tight: bool | None = None, count: int | None = None
) -> dict[str, Any]:
    """Raw data of one random valid case.

    Parameters
    ----------
    rng
        The source of randomness (seed it for reproducible cases).
    integer_terms
        Allow min_share, all_or_nothing and integer_units (the case may become a MILP).
    tight
        Force (True) or forbid (False) the tight draw; None draws it with probability 1/4.
    count
        Number of instruments; None draws 1-12.
    """
    if tight is None:
        tight = rng.random() < 0.25
    requirement = _money(_log_uniform(rng, 5, 13))
    count = rng.randint(1, 12) if count is None else count
    # Every kind once (in random order) before any repeats, so cases of 4 or more have all four.
    kinds = list(KINDS)
    rng.shuffle(kinds)
    kinds = (kinds + [rng.choice(KINDS) for _ in range(count)])[:count]
    points: list[int] = [requirement]
    instruments = []
    for index, kind in enumerate(kinds):
        if kind == "cash":
            instruments.append(_cash(rng, index, requirement, tight))
        elif kind == "guarantee":
            instruments.append(_guarantee(rng, index, requirement, tight))
        elif kind == "insurance":
            instruments.append(_insurance(rng, index, requirement, points, tight, integer_terms))
        else:
            instruments.append(_parametric(rng, index, requirement, points, tight, integer_terms))
    case: dict[str, Any] = {
        "name": f"random case ({'tight' if tight else 'loose'}, R={requirement:,})",
        "currency": rng.choice(CURRENCIES),
        "requirement": {"amount": requirement},
        "instruments": instruments,
    }
    draw = rng.random()
    if draw < 0.45:
        case["coverage"] = "face"
    elif draw < 0.9:
        case["coverage"] = "ladder"  # else: absent, the default (ladder)
    constraints = _constraints(rng, tight)
    if constraints:
        case["constraints"] = constraints
    return case


def random_cases(seed: int, count: int, **options: Any) -> list[dict[str, Any]]:
    """``count`` cases from one seed (each from its own derived generator, so they are stable)."""
    return [random_case(random.Random(f"{seed}-{index}"), **options) for index in range(count)]
