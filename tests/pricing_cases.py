"""Random LP cases for the pricing tests, with ties on purpose (degenerate optima).

``degenerate_case(rng)`` starts from ``random_cases.random_case`` (pure LP) and, on most draws,
makes the optimum degenerate or tied: identical layers offered twice, every layer at one rate
on line, cash at exactly a guarantee's fee, and a layer straddling R (attaching below R and
exhausting above it).
"""

from __future__ import annotations

import random
from typing import Any

from random_cases import random_case


def degenerate_case(rng: random.Random) -> dict[str, Any]:
    """Raw data of one random LP case, usually with ties."""
    data = random_case(rng, tight=False)
    requirement = data["requirement"]["amount"]
    instruments: list[dict[str, Any]] = data["instruments"]
    layers = [item for item in instruments if item["kind"] == "insurance"]
    if layers and rng.random() < 0.4:  # the same layer offered twice: a tie between them
        twin = dict(rng.choice(layers), id=f"twin-{len(instruments)}")
        instruments.append(twin)
        layers.append(twin)
    if len(layers) > 1 and rng.random() < 0.3:  # one rate on line for every layer
        rate = layers[0]["premium_rate"]
        for layer in layers:
            layer["premium_rate"] = rate
    cash = [item for item in instruments if item["kind"] == "cash"]
    guarantees = [item for item in instruments if item["kind"] == "guarantee"]
    if cash and guarantees and rng.random() < 0.3:  # cash costs exactly a guarantee's fee
        cash[0]["cost_rate"] = guarantees[0]["fee_rate"]
    if rng.random() < 0.5:  # a layer straddling R
        instruments.append(
            {
                "id": f"straddle-{len(instruments)}",
                "kind": "insurance",
                "counterparty": "Straddle Re",
                "attachment": max(1, round(requirement * rng.uniform(0.3, 0.95))),
                "limit": max(1, round(requirement * rng.uniform(0.2, 0.8))),
                "premium_rate": round(rng.uniform(0.003, 0.08), 4),
                "payout_days": rng.randint(0, 120),
            }
        )
    return data


def degenerate_cases(seed: int, count: int) -> list[dict[str, Any]]:
    """``count`` cases from one seed, each from its own derived generator."""
    return [degenerate_case(random.Random(f"pricing-{seed}-{index}")) for index in range(count)]
