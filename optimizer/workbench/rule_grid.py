"""Candidate rules: solve a case under every combination of varied assumptions, as a grid.

``reserve-opt rules CASE --vary insurance_share=0,0.25,0.5,0.75 --vary custody_rate=0.005,0.01``
solves the case once per combination and tabulates R and the optimal annual cost. A name is a
regime assumption of the case (``insurance_share``) or one of the case's own policy limits
(``constraints.max_insurance_fraction``). Each point is a variant of the case's JSON form
handed back to check_case, so it is validated like a file. A point that is infeasible,
invalid or that the solver cannot finish is recorded in the grid, not raised (style.md).
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from optimizer.case.checks import check_case
from optimizer.case.errors import CaseError
from optimizer.case.money import money, percent
from optimizer.case.rulebook import load_rulebook
from optimizer.case.schema import Case
from optimizer.coverage.pipeline import SolverError, optimal_cost
from optimizer.coverage.solve import SolverName
from optimizer.rules.requirement import requirement_basis
from optimizer.workbench.cells import csv_text

CONSTRAINT_FIELDS = ("min_cash_fraction", "max_counterparty_fraction", "max_insurance_fraction")
"""Policy limits of the case that a grid may vary, as ``constraints.<field>``."""
MAX_POINTS = 10_000
"""More combinations than this is almost certainly a typing mistake, not a question."""


class VaryError(ValueError):
    """``--vary`` input that cannot be used; the message lists every problem."""


@dataclass(frozen=True)
class Variation:
    """One varied name and the values it takes."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class GridPoint:
    """The answer at one combination of values, or why there is none."""

    settings: Mapping[str, float]
    status: str
    """``optimal``, ``infeasible``, ``invalid`` (the combination breaks a case rule) or ``error``."""
    requirement: float | None = None
    total_cost: float | None = None
    binds: str = ""
    """The breakdown lines that set R (e.g. ``custody``, ``floor``)."""
    detail: str = ""
    """Why there is no cost, for invalid and error points."""


def parse_vary(texts: Sequence[str]) -> tuple[Variation, ...]:
    """Read ``NAME=v1,v2,...`` arguments.

    Raises
    ------
    VaryError
        Listing every argument that is not of that form, or names given twice.
    """
    problems: list[str] = []
    variations: list[Variation] = []
    for text in texts:
        name, sep, raw = text.partition("=")
        name = name.strip()
        if not sep or not name or not raw.strip():
            problems.append(f"--vary {text!r} must look like NAME=v1,v2,... (e.g. insurance_share=0,0.25,0.5)")
            continue
        values = []
        for item in raw.split(","):
            try:
                value = float(item.strip())
            except ValueError:
                problems.append(f"--vary {name}: {item.strip()!r} is not a number; write plain numbers such as 0.25")
                continue
            if not math.isfinite(value):
                problems.append(f"--vary {name}: {item.strip()!r} must be a finite number")
                continue
            values.append(value)
        if any(v.name == name for v in variations):
            problems.append(f"--vary {name} is given twice; list all its values in one --vary")
        variations.append(Variation(name, tuple(values)))
    if not texts:
        problems.append("give at least one --vary NAME=v1,v2,...")
    if problems:
        raise VaryError("\n".join(problems))
    return tuple(variations)


def check_variations(case: Case, variations: Sequence[Variation]) -> None:
    """Every name is variable in this case and every value is valid on its own.

    Raises
    ------
    VaryError
        Listing each unknown name (with the names that can vary) and each invalid value, in
        the words check_case uses for a case file.
    """
    allowed = variable_names(case)
    problems = []
    for variation in variations:
        if variation.name not in allowed:
            problems.append(f"--vary {variation.name}: not a name this case can vary; choose from {', '.join(allowed)}")
            continue
        data = case_data(case)
        for value in variation.values:
            try:
                # requirement=False: R = 0 at one value may be fine combined with others; a
                # combination whose R is unusable is recorded as an invalid point (_solve_point).
                check_case(with_settings(data, {variation.name: value}), "the case", requirement=False)
            except CaseError as error:
                problems += [f"--vary {variation.name}={value:g}: {problem}" for problem in error.problems]
    count = math.prod(len(variation.values) for variation in variations)
    if count > MAX_POINTS:
        problems.append(f"the grid has {count:,} combinations; at most {MAX_POINTS:,} are solved in one run")
    if problems:
        raise VaryError("\n".join(problems))


def variable_names(case: Case) -> list[str]:
    """Names ``--vary`` accepts for this case: its regime's assumptions, then its policy limits."""
    names = []
    if case.requirement.regime is not None:
        names += sorted(load_rulebook(case.requirement.regime).overridable())
    return names + [f"constraints.{field}" for field in CONSTRAINT_FIELDS]


def case_data(case: Case) -> dict[str, Any]:
    """The case as the plain data of a case file (what check_case reads)."""
    return case.model_dump(mode="json", exclude_none=True)


def with_settings(data: Mapping[str, Any], settings: Mapping[str, float]) -> dict[str, Any]:
    """A copy of case data with each setting applied (assumption or constraints.<field>)."""
    changed = copy.deepcopy(dict(data))
    for name, value in settings.items():
        if name.startswith("constraints."):
            changed.setdefault("constraints", {})[name.removeprefix("constraints.")] = value
        else:
            requirement = changed.setdefault("requirement", {})
            requirement["assumptions"] = {**(requirement.get("assumptions") or {}), name: value}
    return changed


def sweep_rules(
    case: Case, variations: Sequence[Variation], solver: SolverName | str = SolverName.HIGHS
) -> tuple[GridPoint, ...]:
    """Solve the case at every combination of the variations' values (in ``itertools.product`` order)."""
    data = case_data(case)
    names = [variation.name for variation in variations]
    points = []
    for values in itertools.product(*(variation.values for variation in variations)):
        points.append(_solve_point(data, dict(zip(names, values, strict=True)), solver))
    return tuple(points)


def _solve_point(data: Mapping[str, Any], settings: dict[str, float], solver: SolverName | str) -> GridPoint:
    try:
        variant = check_case(with_settings(data, settings), "this combination")
    except CaseError as error:
        return GridPoint(settings, "invalid", detail="; ".join(str(problem) for problem in error.problems))
    basis = requirement_basis(variant)
    binds = "+".join(term.name for term in basis.breakdown if term.binds)
    try:
        cost = optimal_cost(variant, solver)
    except SolverError as error:
        return GridPoint(settings, "error", basis.amount, binds=binds, detail=str(error))
    status = "infeasible" if cost is None else "optimal"
    return GridPoint(settings, status, basis.amount, cost, binds)


def render_grid_csv(points: Sequence[GridPoint], variations: Sequence[Variation]) -> str:
    """The grid as CSV: one column per varied name, then the answer at that point."""
    header = [*(v.name for v in variations), "status", "requirement", "total_cost", "cost_to_requirement", "binds",
              "detail"]  # fmt: skip
    rows = []
    for point in points:
        share = "" if point.total_cost is None or not point.requirement else point.total_cost / point.requirement
        rows.append(
            [
                *(f"{point.settings[v.name]:g}" for v in variations),
                point.status,
                "" if point.requirement is None else f"{point.requirement:.2f}",
                "" if point.total_cost is None else f"{point.total_cost:.2f}",
                "" if share == "" else f"{share:.6g}",
                point.binds,
                point.detail,
            ]
        )
    return csv_text(header, rows)


def render_grid_table(points: Sequence[GridPoint], variations: Sequence[Variation], currency: str) -> str:
    """The grid as an aligned text table, with the cheapest feasible point named below it."""
    headers = [*(v.name for v in variations), "R", "annual cost", "cost/R", "R set by", "status"]
    rows = []
    for point in points:
        cost, share = "", ""
        if point.total_cost is not None and point.requirement:
            cost, share = money(point.total_cost, currency), percent(point.total_cost / point.requirement)
        rows.append(
            [
                *(f"{point.settings[v.name]:g}" for v in variations),
                "" if point.requirement is None else money(point.requirement, currency),
                cost,
                share,
                point.binds,
                point.status if not point.detail else f"{point.status}: {point.detail}",
            ]
        )
    widths = [max(len(headers[i]), *(len(row[i]) for row in rows)) for i in range(len(headers))]
    right = set(range(len(variations) + 3))

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()

    lines = [line(headers), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]
    feasible = [p for p in points if p.total_cost is not None]
    failed = len(points) - len(feasible)
    summary = f"{len(points)} combinations; {len(feasible)} solved"
    summary += f", {failed} without a cost (see status)" if failed else ""
    lines += ["", summary + "."]
    return "\n".join(lines)
