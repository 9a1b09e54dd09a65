"""The risk-constrained optimum equals the textbook RU LP (tests/textbook_ru.py) on random cases.

60 seeded cases: random instruments and policy rows (tests/random_cases.py) with aggregate
limits and several payouts a year, year-event tables of 150 to 20,000 years (continuous
losses, or a few repeated values so that identical years merge), counterparty defaults, CVaR
levels with a whole and a fractional number of tail years (1 - alpha) S, limits on CVaR, on
the expected uncovered loss, or both, drawn from far below the least reachable (infeasible)
to above the regulatory optimum's value (not binding). Ten cases carry integer terms and are
checked against the textbook MILP (scipy.optimize.milp). Tolerance: costs agree to 1e-6
relative (plus 1e-9 R, the solvers' tolerance); the returned mix's CVaR, recomputed here from
the textbook payouts by sorting, never exceeds the limit by more than 1e-9 relative.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import costs_agree
from random_cases import random_case
from textbook_ru import payouts_per_money, textbook_cost

from optimizer import Status, check_case, optimize
from optimizer.case.names import counterparty_key
from optimizer.risk.defaults import draw_defaults
from optimizer.risk.scenarios import scenarios_from_events

COUNT = 60
LEVELS = (0.99, 0.995, 0.95, 0.9, 0.975, 0.9973)


def _events(rng: random.Random, requirement: float, most: int) -> tuple[int, np.ndarray, np.ndarray]:
    years = rng.choice([1_000, 2_000, 5_000, 20_000]) if rng.random() < 0.5 else rng.randint(150, 20_000)
    years = min(years, most)
    generator = np.random.default_rng(rng.randrange(2**32))
    counts = generator.poisson(rng.uniform(0.05, 0.6), years)
    event_year = np.repeat(np.arange(1, years + 1), counts)
    if rng.random() < 0.25:  # a few repeated values: many identical years, merged into counted rows
        values = np.round(requirement * generator.uniform(0.05, 1.5, 5))
        loss = generator.choice(values, event_year.size)
    else:
        loss = np.round(
            requirement
            * rng.uniform(0.05, 0.8)
            * np.exp(rng.uniform(0.5, 2.0) * generator.standard_normal(event_year.size))
        )
    return years, event_year, loss


def _with_terms(rng: random.Random, data: dict[str, Any]) -> None:
    for item in data["instruments"]:
        if item["kind"] == "insurance" and rng.random() < 0.4:
            item["aggregate_limit"] = item["limit"] * rng.choice([1, 2])
        if item["kind"] == "parametric" and rng.random() < 0.4:
            item["max_payouts_per_year"] = rng.choice([1, 2, 3])


def _risk_case(index: int, folder: Path) -> dict[str, Any]:
    rng = random.Random(f"cvar-crosscheck-{index}")
    integer = index % 6 == 5
    data = random_case(rng, tight=False, integer_terms=integer)
    _with_terms(rng, data)
    requirement = float(data["requirement"]["amount"])
    # The textbook MILP (branch and bound over 2 S + K columns) is slow: fewer years for it.
    years, event_year, loss = _events(rng, requirement, 5_000 if integer else 20_000)
    (folder / "events.csv").write_text(
        "year,loss\n" + "".join(f"{y},{x:.0f}\n" for y, x in zip(event_year, loss, strict=True))
    )
    scenarios: dict[str, Any] = {"years": years, "events": "events.csv", "seed": index}
    names = sorted({item["counterparty"] for item in data["instruments"] if item.get("counterparty")})
    if names and rng.random() < 0.3:
        scenarios["default_probability"] = {rng.choice(names): round(rng.uniform(0.01, 0.2), 3)}
    data["scenarios"] = scenarios
    data["risk"] = {"level": rng.choice(LEVELS)}
    return {"data": data, "rng": rng, "years": years, "event_year": event_year, "loss": loss}


def _defaults(case, years: int, event_year: np.ndarray, loss: np.ndarray) -> dict[str, set[int]]:
    # The draws are input data (one Bernoulli per counterparty and loss year), not the model.
    settings = case.scenarios
    if not settings.default_probability:
        return {}
    scen = scenarios_from_events(years, event_year, loss)
    masks = draw_defaults(scen, settings.default_probability, settings.seed)
    by_key = {counterparty_key(i.counterparty): i.counterparty for i in case.instruments if i.counterparty}
    return {by_key[key]: set(scen.year[mask].tolist()) for key, mask in masks.items() if key in by_key}


def _sorted_cvar(uncovered: np.ndarray, level: float) -> float:
    """CVaR by sorting all S values (model.md section 4), independently of the optimizer."""
    k = (1 - Fraction(str(level))) * uncovered.size
    ordered = np.sort(uncovered)[::-1]
    whole = int(k)
    tail = ordered[:whole].sum() + (float(k - whole) * ordered[whole] if whole < ordered.size else 0.0)
    return float(tail / float(k))


def _uncovered(paid: np.ndarray, annual: np.ndarray, amounts: np.ndarray) -> np.ndarray:
    return np.maximum(annual - paid @ amounts, 0.0)


@pytest.mark.slow
@pytest.mark.parametrize("index", range(COUNT))
def test_risk_optimum_equals_the_textbook_lp(index: int, tmp_path: Path) -> None:
    drawn = _risk_case(index, tmp_path)
    data, rng = drawn["data"], drawn["rng"]
    years, event_year, loss = drawn["years"], drawn["event_year"], drawn["loss"]
    base = check_case(data)
    requirement = float(base.requirement.amount)
    level = base.risk.level
    defaults = _defaults(base, years, event_year, loss)
    paid = payouts_per_money(base, years, event_year, loss, defaults)
    annual = np.zeros(years)
    np.add.at(annual, event_year - 1, loss)
    free = optimize(base, base_dir=tmp_path)
    if free.status is Status.OPTIMAL:
        amounts = np.array([a.amount for a in free.allocations])
        cvar0 = _sorted_cvar(_uncovered(paid, annual, amounts), level)
        mean0 = float(_uncovered(paid, annual, amounts).mean())
    else:
        cvar0, mean0 = requirement, requirement / 10
    draw = rng.random()
    limits: dict[str, float] = {}
    if draw < 0.85:
        limits["max_cvar"] = round(cvar0 * rng.uniform(0.0, 1.05))
    if draw > 0.6:
        limits["max_expected_uncovered"] = round(mean0 * rng.uniform(0.2, 1.1))
    data["risk"].update(limits)
    case = check_case(data)
    expected = textbook_cost(
        case, years, event_year, loss, level, limits.get("max_cvar"), limits.get("max_expected_uncovered"), defaults
    )
    solution = optimize(case, base_dir=tmp_path)
    if expected is None:
        assert solution.status is Status.INFEASIBLE
        return
    assert solution.status is Status.OPTIMAL, [s.text for s in solution.diagnosis]
    assert solution.total_cost is not None
    assert costs_agree(solution.total_cost, expected, requirement), (solution.total_cost, expected)
    amounts = np.array([a.amount for a in solution.allocations])
    uncovered = _uncovered(paid, annual, amounts)
    # The reported amounts are rounded to the cent: a year may lose up to a cent per instrument more.
    cents = 0.01 * len(amounts)
    if "max_cvar" in limits:
        assert _sorted_cvar(uncovered, level) <= limits["max_cvar"] * (1 + 1e-9) + 1e-12 * requirement + cents
    if "max_expected_uncovered" in limits:
        assert uncovered.mean() <= limits["max_expected_uncovered"] * (1 + 1e-9) + 1e-12 * requirement + cents
