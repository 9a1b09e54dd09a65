"""Checks of the ``scenarios:`` and ``risk:`` sections that span several fields.

They run on the raw case data, like every cross-field check (checks.py), so they are reported
with the field errors. What the events file holds is checked when it is read
(optimizer/risk/events.py), because its path is relative to the case file.
"""

from __future__ import annotations

from typing import Any

from optimizer.case.errors import Problem
from optimizer.case.names import counterparty_key
from optimizer.case.phrase import phrase

_NEEDS = {"lognormal": ("median", "sigma"), "pareto": ("minimum", "alpha"), "incidents": ()}
_HINT = {
    "median": "the median loss of one incident, in the case currency",
    "sigma": "the standard deviation of ln(loss), e.g. 1.3",
    "minimum": "the smallest loss, in the case currency",
    "alpha": "the tail index, e.g. 0.9",
}
_SIMULATION_ONLY = ("frequency", "severity", "vectors", "cap")


def scenario_problems(data: dict[str, Any]) -> list[Problem]:
    """Every cross-field problem of ``scenarios`` and ``risk`` (none when both are absent)."""
    scenarios, risk = data.get("scenarios"), data.get("risk")
    if risk is not None and scenarios is None:
        return [
            Problem(
                "risk",
                "needs a scenarios section to measure risk against (got risk but no scenarios); "
                "add `scenarios: {years: 100_000}` to use the calibrated loss model, or remove risk",
                phrase("problems.risk_needs_scenarios"),
            )
        ]
    if not isinstance(scenarios, dict):
        return []
    problems = _events_problems(scenarios)
    problems += _severity_problems(scenarios.get("severity"))
    problems += _vector_problems(scenarios.get("vectors"), data.get("exchange"))
    problems += _cap_problems(scenarios, data.get("exchange"))
    problems += _default_problems(scenarios.get("default_probability"), data.get("instruments"))
    return problems


def _events_problems(scenarios: dict[str, Any]) -> list[Problem]:
    if scenarios.get("events") is None:
        return []
    problems = [
        Problem(
            f"scenarios.{name}",
            f"does not apply to a year-event table (got {scenarios[name]!r} next to events); "
            "the table's losses are used as they are: remove one of the two",
            phrase("problems.events_only", got=repr(scenarios[name])),
        )
        for name in _SIMULATION_ONLY
        if scenarios.get(name) is not None
    ]
    if scenarios.get("years") is None:
        problems.append(
            Problem(
                "scenarios.years",
                "is required with events (got nothing); give the number of years S the table covers "
                "(years without a row lost nothing)",
                phrase("problems.events_years"),
            )
        )
    return problems


def _severity_problems(severity: Any) -> list[Problem]:
    if not isinstance(severity, dict) or severity.get("distribution") not in _NEEDS:
        return []  # the field check reports a missing or unknown distribution
    distribution = severity["distribution"]
    needed = _NEEDS[distribution]
    problems = [
        Problem(
            f"scenarios.severity.{name}",
            f"is required for a {distribution} severity (got nothing); add {name}: {_HINT[name]}",
            phrase(
                "problems.severity_needs", distribution=distribution, name=name, hint=phrase(f"problems.hint.{name}")
            ),
        )
        for name in needed
        if severity.get(name) is None
    ]
    problems += [
        Problem(
            f"scenarios.severity.{name}",
            f"does not apply to a {distribution} severity (got {severity[name]!r}); "
            f"a {distribution} severity takes {', '.join(needed) or 'no parameters'}: remove it",
            phrase(
                "problems.severity_takes" if needed else "problems.severity_takes_none",
                distribution=distribution,
                got=repr(severity[name]),
                needed=", ".join(needed),
            ),
        )
        for name in _HINT
        if name not in needed and severity.get(name) is not None
    ]
    return problems


def _vector_problems(vectors: Any, exchange: Any) -> list[Problem]:
    if not isinstance(vectors, list) or not vectors:
        return []
    items = [(i, v) for i, v in enumerate(vectors) if isinstance(v, dict)]
    problems = []
    shares = [float(v["share"]) for _, v in items if _is_number(v.get("share"))]
    if len(shares) == len(vectors) and abs(sum(shares) - 1) > 1e-9:
        listed = " + ".join(f"{s:g}" for s in shares)
        problems.append(
            Problem(
                "scenarios.vectors",
                f"shares must add up to 1 (got {listed} = {sum(shares):g}); every incident takes one route",
                phrase("problems.vector_shares", listed=listed, total=sum(shares)),
            )
        )
    seen: dict[str, int] = {}
    profile = exchange if isinstance(exchange, dict) else {}
    for index, vector in items:
        name = vector.get("name")
        if isinstance(name, str):
            if name in seen:
                problems.append(
                    Problem(
                        f"scenarios.vectors[{index}].name",
                        f"must be unique (got {name!r}, already used by vectors[{seen[name]}]); rename one",
                        phrase("problems.vector_unique", got=repr(name), first=seen[name]),
                    )
                )
            seen.setdefault(name, index)
        pools = vector.get("exposes")
        for pool in pools if isinstance(pools, list) else []:
            if isinstance(pool, str) and pool.startswith("client_") and profile.get(pool) is None:
                problems.append(
                    Problem(
                        f"scenarios.vectors[{index}].exposes",
                        f"names exchange.{pool}, which the case does not give (got nothing); "
                        f"add exchange.{pool} (the assets this route can reach) or drop it from exposes",
                        phrase("problems.vector_pool", pool=pool),
                    )
                )
    return problems


def _cap_problems(scenarios: dict[str, Any], exchange: Any) -> list[Problem]:
    if scenarios.get("events") is not None or scenarios.get("cap") is not None or scenarios.get("vectors"):
        return []
    profile = exchange if isinstance(exchange, dict) else {}
    if profile.get("client_crypto_hot") is None and profile.get("client_crypto_cold") is None:
        return [
            Problem(
                "scenarios.cap",
                "is required when the exchange profile gives neither client_crypto_hot nor client_crypto_cold "
                "(got nothing): an uncapped heavy-tailed loss can exceed everything the exchange holds. "
                "Add cap: <the most one incident can take>, or the exchange's client crypto",
                phrase("problems.scenarios_cap"),
            )
        ]
    return []


def _default_problems(defaults: Any, instruments: Any) -> list[Problem]:
    if not isinstance(defaults, dict):
        return []
    names = {
        counterparty_key(item["counterparty"]): item["counterparty"]
        for item in (instruments if isinstance(instruments, list) else [])
        if isinstance(item, dict) and isinstance(item.get("counterparty"), str)
    }
    problems = []
    seen: dict[str, str] = {}
    for name in defaults:
        key = counterparty_key(name)
        if key in seen:
            problems.append(
                Problem(
                    f"scenarios.default_probability.{name}",
                    f"names the same counterparty as {seen[key]!r} (names are compared ignoring case and "
                    "spacing); keep one",
                    phrase("problems.default_same_counterparty", other=repr(seen[key])),
                )
            )
        seen.setdefault(key, name)
        if key not in names:
            known = ", ".join(sorted(set(names.values()))) or "none"
            problems.append(
                Problem(
                    f"scenarios.default_probability.{name}",
                    f"must name a counterparty of the case's instruments (got {name!r}); known: {known}",
                    phrase("problems.default_unknown_counterparty", got=repr(name), known=known)
                    if names
                    else None,
                )
            )
    return problems


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
