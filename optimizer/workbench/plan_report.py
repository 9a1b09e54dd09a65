"""A plan's answer as a table a CFO can read, and as CSV (``reserve-opt plan``).

The JSON form is ``PlanSolution.to_dict`` (design/case-format.md); this module only renders.
"""

from __future__ import annotations

from optimizer.case.money import money, percent
from optimizer.coverage.solution import Status
from optimizer.plan.answer import PlanSolution
from optimizer.workbench.cells import csv_text
from optimizer.workbench.report import _table, quantity_words


def plan_rows(solution: PlanSolution) -> list[dict[str, object]]:
    """One row per year and instrument (long form, for CSV and spreadsheets)."""
    rows: list[dict[str, object]] = []
    for year in solution.years:
        for item in year.allocations:
            rows.append(
                {
                    "year": year.year,
                    "requirement": year.requirement,
                    "cash": year.cash,
                    "set_aside": year.set_aside,
                    "release": year.release,
                    "capacity": "" if year.capacity is None else year.capacity,
                    "capacity_value": "" if year.capacity_value is None else year.capacity_value,
                    "annual_cost": year.annual_cost,
                    "discount_factor": year.discount_factor,
                    "discounted_cost": year.discounted_cost,
                    "id": item.id,
                    "kind": item.kind,
                    "counterparty": item.counterparty or "",
                    "amount": item.amount,
                    "share": "" if item.share is None else item.share,
                    "units": "" if item.units is None else item.units,
                    "instrument_annual_cost": item.annual_cost,
                    "credited": item.credited,
                    "on_offer": item.id not in year.unavailable,
                }
            )
    return rows


def render_plan_csv(solution: PlanSolution) -> str:
    """The plan as CSV; every row begins with the status, as ``solve --format csv`` does.

    Optimal: one row per year and instrument (the columns of ``plan_rows``). Infeasible: the
    columns ``status,item,constraint,shortfall,field,current,proposed,total_cost,explanation``,
    a ``summary`` row, one ``diagnosis`` row per year and unmet demand, one ``fix`` row per
    change that would make the plan feasible (or ``no fix``). Cells go through the spreadsheet
    guard (``cells.csv_text``).
    """
    status = str(solution.status)
    if solution.status is Status.INFEASIBLE:
        rows: list[list[object]] = [[status, "summary", "", "", "", "", "", "", _INFEASIBLE]]
        rows += [
            [status, "diagnosis", item.constraint, item.shortfall, "", "", "", "", item.text]
            for item in solution.diagnosis
        ]
        rows += [
            [status, "fix", "", "", fix.field, _blank(fix.current), _blank(fix.proposed), fix.total_cost, fix.change]
            for fix in solution.fixes
        ]
        if not solution.fixes:
            rows.append([status, "no fix", "", "", "", "", "", "", _NO_FIX])
        columns = ["status", "item", "constraint", "shortfall", "field", "current", "proposed", "total_cost"]
        return csv_text([*columns, "explanation"], rows)
    records = plan_rows(solution)
    return csv_text(["status", *records[0]], [[status, *record.values()] for record in records])


_INFEASIBLE = "no path over the years meets every year's requirement"
_NO_FIX = "more set-aside capacity alone does not make the plan feasible; see the limits in the diagnosis"


def _blank(value: float | None) -> object:
    return "" if value is None else value


def render_plan_table(solution: PlanSolution) -> str:
    """The whole plan as readable text: the path year by year, the mix, what binds."""
    cur = solution.currency
    count = len(solution.years)
    release = "cash may be released" if solution.allow_release else "set-aside cash stays"
    start = money(solution.starting_cash, cur)
    head = (
        f"Plan: {solution.case_name}  ({cur}, {count} year{'s' if count != 1 else ''}, "
        f"discount rate {percent(solution.discount_rate)}, starting cash {start}, {release})"
    )
    lines = [head]
    if solution.status is Status.INFEASIBLE:
        lines += ["", "INFEASIBLE: no path over the years meets every year's requirement.", ""]
        lines += [f"  - {item.text}" for item in solution.diagnosis]
        if solution.fixes:
            lines += ["", "A change that would make it feasible:"]
            lines += [
                f"  - {fix.change}: the plan would then cost {money(fix.total_cost, cur)} (discounted)"
                for fix in solution.fixes
            ]
        else:
            lines += ["", f"{_NO_FIX[0].upper()}{_NO_FIX[1:]}."]
        return "\n".join(lines)
    lines.append(
        f"Optimal discounted cost: {money(solution.discounted_cost or 0.0, cur)}  "
        f"(undiscounted {money(solution.total_cost or 0.0, cur)})"
    )
    lines.append("")
    headers = ["Year", "Requirement", "Cash held", "Set aside", "Released", "Capacity", "Annual cost", "Discounted"]
    rows = [
        [
            str(year.year),
            money(year.requirement, cur),
            money(year.cash, cur),
            money(year.set_aside, cur),
            money(year.release, cur),
            "no limit" if year.capacity is None else money(year.capacity, cur),
            money(year.annual_cost, cur),
            money(year.discounted_cost, cur),
        ]
        for year in solution.years
    ]
    lines += _table(headers, rows, right=set(range(1, 8)))
    lines += ["", "Mix by year (money bought; share or units in brackets):"]
    mix_rows = []
    for index, item in enumerate(solution.years[0].allocations):
        cells = [item.id, item.kind]
        for year in solution.years:
            bought = year.allocations[index]
            if bought.id in year.unavailable:
                cells.append("not offered")
            elif bought.amount == 0:
                cells.append("-")
            else:
                quantity = quantity_words(bought)
                cells.append(money(bought.amount, cur) + (f" ({quantity})" if quantity else ""))
        mix_rows.append(cells)
    mix_headers = ["Instrument", "Kind", *(f"Year {year.year}" for year in solution.years)]
    lines += _table(mix_headers, mix_rows, right=set(range(2, 2 + count)))
    lines += ["", "What binds, year by year:"]
    for year in solution.years:
        texts = [item.text for item in year.binding] or ["nothing (every limit has room)"]
        lines.append(f"  Year {year.year}: " + "; ".join(texts))
    valued = [year for year in solution.years if year.capacity_value]
    if valued:
        lines += ["", "Value of one more unit of set-aside capacity (discounted plan cost saved per unit of money):"]
        lines += [f"  Year {year.year}: {year.capacity_value:.4f}" for year in valued]
    lines += [
        "",
        (
            f"Every year's mix and the cash path verified without the LP: {'yes' if solution.verified else 'NO'}. "
            f"Solver {solution.solver}{' (MILP)' if solution.is_mip else ''}, "
            f"{solution.timings.get('total', 0.0) * 1000:.0f} ms. Duals: {solution.duals_note}."
        ),
    ]
    return "\n".join(lines)
