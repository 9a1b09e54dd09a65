"""Seeded random plans: a random case (tests/random_cases.py) with a random ``plan:`` section.

Plans run 1-5 years with a phase-in (sometimes falling), starting cash, set-aside capacity
(none, one amount, or one per year; sometimes too little, so a share of plans is infeasible),
release allowed or not, a discount rate, and per-instrument terms: interim parametric cover,
available years, price trends up and down. Cash instruments get price trends only (their
availability cannot be limited).
"""

from __future__ import annotations

import random
from typing import Any

from random_cases import random_case


def random_plan(rng: random.Random) -> dict[str, Any]:
    """Raw data of one random valid case with a plan."""
    data = random_case(rng)
    requirement = data["requirement"]["amount"]
    if not any(item["kind"] == "cash" for item in data["instruments"]):
        # A plan builds a cash stock: it needs somewhere to hold it.
        data["instruments"].append({"id": "cash-plan", "kind": "cash", "cost_rate": round(rng.uniform(0.01, 0.08), 4)})
    years = rng.randint(1, 5)
    plan: dict[str, Any] = {"years": years}
    if rng.random() < 0.8:
        fractions = sorted(round(rng.uniform(0.1, 1.0), 3) for _ in range(years))
        if rng.random() < 0.2:
            rng.shuffle(fractions)  # a requirement that also falls
        plan["requirement_fractions"] = fractions
    if rng.random() < 0.4:
        plan["starting_cash"] = round(requirement * rng.uniform(0.0, 0.6))
    draw = rng.random()
    if draw < 0.45:
        plan["max_set_aside"] = round(requirement * rng.uniform(0.02, 0.6))
    elif draw < 0.75:
        plan["max_set_aside"] = [round(requirement * rng.uniform(0.0, 0.6)) for _ in range(years)]
    if rng.random() < 0.4:
        plan["allow_release"] = True
    if rng.random() < 0.6:
        plan["discount_rate"] = round(rng.uniform(0.0, 0.1), 4)
    terms: dict[str, Any] = {}
    for item in data["instruments"]:
        spec: dict[str, Any] = {}
        if rng.random() < 0.3:
            spec["price_trend"] = round(rng.uniform(-0.3, 0.5), 3)
        if item["kind"] == "parametric" and rng.random() < 0.4:
            spec["interim"] = rng.randint(1, years)
        elif item["kind"] in ("guarantee", "insurance") and rng.random() < 0.2:
            spec["available_years"] = sorted(rng.sample(range(1, years + 1), rng.randint(1, years)))
        if spec:
            terms[item["id"]] = spec
    if terms:
        plan["instruments"] = terms
    data["plan"] = plan
    data["name"] = f"{data['name']}, {years}-year plan"
    return data


def random_plans(seed: int, count: int) -> list[dict[str, Any]]:
    """``count`` plans from one seed, each from its own derived generator."""
    return [random_plan(random.Random(f"{seed}-{index}")) for index in range(count)]
