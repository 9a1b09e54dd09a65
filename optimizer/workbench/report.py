"""The answer as a table a CFO can read, and as CSV.

The JSON form is ``Solution.to_dict`` (design/case-format.md); this module only renders.
"""

from __future__ import annotations

import math

from optimizer.case.money import money, percent, short_money
from optimizer.case.names import spelling_words
from optimizer.coverage.solution import Allocation, Solution, Status
from optimizer.rules.explain import brief_lines
from optimizer.workbench.cells import csv_text

ALLOCATION_COLUMNS = (
    "id", "kind", "counterparty", "amount", "share", "units", "annual_cost", "credited", "at_capacity",
)  # fmt: skip
"""The columns of ``allocation_rows``, in order."""


def allocation_rows(solution: Solution) -> list[dict[str, object]]:
    """One row per instrument, in the case's order (for CSV, tables and spreadsheets)."""
    return [
        {
            "id": item.id,
            "kind": item.kind,
            "counterparty": item.counterparty or "",
            "amount": item.amount,
            "share": "" if item.share is None else item.share,
            "units": "" if item.units is None else item.units,
            "annual_cost": item.annual_cost,
            "credited": item.credited,
            "at_capacity": item.at_capacity,
        }
        for item in solution.allocations
    ]


def quantity_words(item: Allocation) -> str:
    """The decision in its own unit: "share 40%" for a layer, "2 units" for parametric cover."""
    if item.share is not None:
        return f"share {percent(item.share)}"
    if item.units is not None:
        return f"{item.units:.4g} units"
    return ""


def render_csv(solution: Solution) -> str:
    """The answer as CSV: a header row, then rows that each begin with the status.

    Optimal: ``status,id,kind,counterparty,amount,...``, one row per instrument (the columns of
    ``allocation_rows``). Infeasible: ``status,item,constraint,shortfall,field,current,proposed,
    total_cost,explanation``, a ``summary`` row, one ``diagnosis`` row per unmet demand and one
    ``fix`` row per single change that would make the case feasible (or a ``no single fix`` row),
    so a CSV reader sees the status and the reason in the first data row. Every cell goes through
    the spreadsheet guard (``cells.spreadsheet_cell``).
    """
    status = str(solution.status)
    if solution.status is Status.INFEASIBLE:
        return csv_text(_INFEASIBLE_COLUMNS, [[status, *row] for row in _infeasible_rows(solution)])
    rows = [[status, *(row[name] for name in ALLOCATION_COLUMNS)] for row in allocation_rows(solution)]
    return csv_text(["status", *ALLOCATION_COLUMNS], rows)


_INFEASIBLE_COLUMNS = (
    "status", "item", "constraint", "shortfall", "field", "current", "proposed", "total_cost", "explanation",
)  # fmt: skip


def _infeasible_rows(solution: Solution) -> list[list[object]]:
    def blank(value: float | None) -> object:
        return "" if value is None else value

    rows: list[list[object]] = [["summary", "", "", "", "", "", "", _INFEASIBLE_HEADLINE]]
    rows += [["diagnosis", item.constraint, item.shortfall, "", "", "", "", item.text] for item in solution.diagnosis]
    rows += [
        ["fix", "", "", fix.field, blank(fix.current), blank(fix.proposed), fix.total_cost, fix.change]
        for fix in solution.fixes
    ]
    if not solution.fixes:
        rows.append(["no single fix", "", "", "", "", "", "", _NO_SINGLE_FIX])
    return rows


_INFEASIBLE_HEADLINE = "no mix of the instruments on offer meets this case"
_NO_SINGLE_FIX = "no single change of one limit makes it feasible; several must change together"


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(headers[i]), *(len(row[i]) for row in rows)) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(cells)
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return [line(headers), rule, *(line(row) for row in rows)]


def render_table(solution: Solution) -> str:
    """The whole answer as readable text."""
    cur = solution.currency
    lines = [
        f"Case: {solution.case_name}  ({cur}, {solution.coverage} coverage)",
        f"Requirement: {money(solution.requirement, cur)}  ({solution.requirement_source})",
        *brief_lines(solution.requirement_breakdown, cur),
    ]
    if solution.status is Status.INFEASIBLE:
        return "\n".join([*lines, "", *_infeasible_lines(solution), *merged_counterparty_lines(solution)])
    total = solution.total_cost or 0.0
    lines.append(
        f"Optimal annual cost: {money(total, cur)}  ({percent(total / solution.requirement)} of the requirement)"
    )
    lines.append("")
    rows = []
    for item in solution.allocations:
        quantity = quantity_words(item)
        rows.append(
            [
                item.id,
                item.kind,
                item.counterparty or "-",
                money(item.amount, cur),
                quantity,
                money(item.annual_cost, cur),
                money(item.credited, cur),
                "yes" if item.at_capacity else "",
            ]
        )
    rows.append(["Total", "", "", "", "", money(total, cur), money(solution.face_total, cur), ""])
    headers = ["Instrument", "Kind", "Counterparty", "Bought", "Share/units", "Annual cost", "Credited", "Full"]
    lines += _table(headers, rows, right={3, 5, 6})
    lines += ["", "What binds:"]
    lines += [f"  - {item.text}" for item in solution.binding] or ["  - nothing (every limit has room)"]
    if solution.marginal_cost_of_requirement is not None:
        marginal = solution.marginal_cost_of_requirement
        step = 10 ** (math.floor(math.log10(solution.requirement)) - 1)
        lines += [
            "",
            (
                f"Marginal cost of the requirement: {marginal:.4f} a year per unit of R "
                f"({short_money(marginal * step, cur)} a year for each {short_money(step, cur)} more)."
            ),
        ]
        if marginal < 0:
            lines.append(
                "(Negative: caps set as fractions of R grow with R, and the cheaper cover they let in "
                "saves more than the extra requirement costs.)"
            )
    if solution.is_mip:
        lines.append(f"({solution.duals_note}.)")
    if solution.not_bought:
        lines += ["", "Not bought, and the price at which each would enter the mix:"]
        for signal in solution.not_bought:
            now = _price_words(signal.price_field, signal.current, cur)
            if signal.break_even is None or signal.break_even <= 0:
                lines.append(f"  - {signal.id} ({signal.kind}): {now} now; enters at no positive price")
                continue
            enters = _price_words(signal.price_field, signal.break_even, cur)
            lines.append(f"  - {signal.id} ({signal.kind}): {now} now; enters at {enters} or less")
    if solution.bought:
        lines += ["", "Bought, the price at which less would be bought, and the price at which it drops out:"]
        for signal in solution.bought:
            now = _price_words(signal.price_field, signal.current, cur)
            cut = (
                "never cut"
                if signal.cut_price is None
                else "cut above " + _price_words(signal.price_field, signal.cut_price, cur)
            )
            out = (
                "never drops out"
                if signal.break_even is None
                else "drops out above " + _price_words(signal.price_field, signal.break_even, cur)
            )
            lines.append(f"  - {signal.id} ({signal.kind}): {now} now; {cut}; {out}")
    lines += _risk_limit_lines(solution)
    if solution.not_on_offer:
        lines += ["", "Offered with zero capacity, so they cannot be bought and have no entry price:"]
        lines += [f"  - {name}" for name in solution.not_on_offer]
    if solution.excluded:
        lines += ["", "Not credited by the rule:"]
        lines += [f"  - {name}: {why}" for name, why in solution.excluded.items()]
    lines += merged_counterparty_lines(solution)
    margin = solution.ladder_minimum_margin or 0.0
    ladder = (
        f"funds exceed every single loss up to R by at least {short_money(margin, cur)}"
        if margin >= 0
        else f"FAILS: a single loss leaves {short_money(-margin, cur)} unpaid (face mode does not test it)"
    )
    lines += [
        "",
        f"Face total {short_money(solution.face_total, cur)}; ladder test: {ladder}.",
        (
            f"Verified against every rule without the LP: {'yes' if solution.verified else 'NO'}. "
            f"Solver {solution.solver}{' (MILP)' if solution.is_mip else ''}, "
            f"{solution.timings.get('total', 0.0) * 1000:.0f} ms."
        ),
    ]
    return "\n".join(lines)


def _risk_limit_lines(solution: Solution) -> list[str]:
    """The risk limits held by the optimum, their prices, and what they add to the cost (#10)."""
    if not solution.risk_limits:
        return []
    cur = solution.currency
    lines = ["", "Risk limits (held over every simulated year, re-checked by sorting all of them):"]
    lines += [f"  - {item.text}" for item in solution.risk_limits]
    if solution.regulatory_only_cost is not None and solution.total_cost is not None:
        extra = solution.total_cost - solution.regulatory_only_cost
        lines.append(
            f"  Without the risk limits the cheapest mix costs {money(solution.regulatory_only_cost, cur)} a year; "
            f"the limits add {money(extra, cur)}."
        )
    return lines


def merged_counterparty_lines(solution: Solution) -> list[str]:
    """The counterparties written in more than one way, which the caps treat as one."""
    if not solution.merged_counterparties:
        return []
    lines = ["", "Counterparty names that differ only in case, spaces or Unicode form are one counterparty:"]
    lines += [
        f"  - {name}: {spelling_words(spellings)} (one cap for all)"
        for name, spellings in solution.merged_counterparties.items()
    ]
    return lines


def _price_words(field: str, value: float, currency: str) -> str:
    if field == "premium":
        return f"premium {money(value, currency)} per unit"
    return f"{field} {percent(value)}"


def _infeasible_lines(solution: Solution) -> list[str]:
    cur = solution.currency
    lines = [f"INFEASIBLE: {_INFEASIBLE_HEADLINE}.", ""]
    lines += [f"  - {item.text}" for item in solution.diagnosis]
    if solution.fixes:
        lines += ["", "Single changes that would make it feasible (cheapest first):"]
        lines += [
            f"  - {fix.change}: the mix would then cost {money(fix.total_cost, cur)} a year" for fix in solution.fixes
        ]
    else:
        lines += ["", f"{_NO_SINGLE_FIX[0].upper()}{_NO_SINGLE_FIX[1:]}."]
    if solution.fix_search:
        lines += [f"({solution.fix_search})"]
    return lines
