"""Views shared by several pages: problems, the answer's headline figures and tables."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from optimizer import Case, CaseError, Solution
from optimizer.case.errors import Problem
from optimizer.coverage.solution import PriceSignal
from optimizer.workbench.report import quantity_words
from ui import format as fmt
from ui.format import delta as signed_change
from ui.tables import show_table
from ui.text import code, esc


def show_problems(error: CaseError, intro: str | None = None, *, open_case: bool = False) -> None:
    """Every problem of a case or file in one message, as the CLI lists them.

    ``open_case``: the problems are the open case's, so each names its Market row too.
    """
    count = len(error.problems)
    head = intro or f"{esc(error.source)} has {count} problem{'s' if count != 1 else ''}"
    lines = "\n".join(f"- {problem_text(problem, open_case)}" for problem in error.problems)
    st.error(f"**{head}:**\n\n{lines}", icon=":material/error:")


_ROW = re.compile(r"^instruments\[(\d+)\]")


def where_in_market(path: str) -> str:
    """The Market row of a path into ``instruments[i]``: "Market row 9, lc-c" ("" for other paths).

    The Market grid numbers its rows from 1 in the case's order, so a problem names the same
    row on every page: ``instruments[8].counterparty`` is row 9.
    """
    from ui.state import case_data  # here, not at import: keeps this module free of session state

    found = _ROW.match(path)
    if found is None:
        return ""
    index = int(found[1])
    instruments = case_data().get("instruments") or []
    name = instruments[index].get("id") if index < len(instruments) and isinstance(instruments[index], dict) else None
    return f"Market row {index + 1}" + (f", {name}" if isinstance(name, str) and name else "")


def problem_text(problem: Problem, open_case: bool = True) -> str:
    """One problem as a Markdown line: the field path, the Market row it is in, the message."""
    if not problem.path:
        return esc(problem.message)
    row = where_in_market(problem.path) if open_case else ""
    return f"{code(problem.path)}{f' ({esc(row)})' if row else ''} {esc(problem.message)}"


def page_case() -> Case | None:
    """The case a results page shows, with a banner while the edited case has problems.

    The last valid version is kept on screen (one half-typed Market row must not blank the
    page); None, after showing the problems, when no version of the case was ever valid.
    """
    from ui.state import working_case

    case, problems = working_case()
    if problems is None:
        return case
    if case is None:
        show_problems(problems, "The case has problems; fix them on the Case or Market page", open_case=True)
        return None
    count = len(problems.problems)
    lines = "\n".join(f"- {problem_text(problem)}" for problem in problems.problems[:8])
    more = f"\n- … and {count - 8} more" if count > 8 else ""
    st.warning(
        f"**Showing the last valid version of the case.** The edited case has {count} "
        f"problem{'s' if count != 1 else ''} (fix them on the Case or Market page):\n\n{lines}{more}",
        icon=":material/history:",
    )
    return case


# A negative marginal cost surprises; it is right when caps are fractions of R.
_NEGATIVE_MARGINAL = (
    " It is negative here: the caps set as fractions of R (insurance cap, counterparty caps) grow "
    "with R, and the cheaper cover they let in saves more than the extra requirement costs."
)


def marginal_step(solution: Solution) -> float:
    """A round step of R to quote the marginal cost against: a tenth of R's order of magnitude."""
    return float(10 ** (math.floor(math.log10(solution.requirement)) - 1))


def marginal_words(solution: Solution) -> str:
    """The marginal cost of R as a CFO reads it: "¥38.0m per ¥1.0bn" (a year, per more of R)."""
    marginal = solution.marginal_cost_of_requirement
    if marginal is None:
        return "—"
    step = marginal_step(solution)
    return f"{fmt.short(marginal * step, solution.currency)} per {fmt.short(step, solution.currency)}"


def headline(solution: Solution, baseline: float | None = None, per_row: int = 4) -> None:
    """The answer's figures as metrics, ``per_row`` to a row (with the change against ``baseline``)."""
    cur = solution.currency
    cost = solution.total_cost
    columns = [*st.columns(per_row), *(st.columns(per_row) if per_row < 4 else [])]
    delta = None
    if cost is not None and baseline is not None and abs(cost - baseline) > 0.5:
        # A number with an ASCII sign: a saving reads "-¥31.2m", points down and is green
        # (delta_color="inverse": for a cost, lower is better).
        delta = f"{signed_change(cost - baseline, cur)} vs the case"
    columns[0].metric(
        "Optimal annual cost",
        fmt.short(cost, cur) if cost is not None else "infeasible",
        delta=delta,
        delta_color="inverse",
        help=fmt.money(cost, cur) if cost is not None else None,
    )
    columns[1].metric("Requirement R", fmt.short(solution.requirement, cur), help=fmt.money(solution.requirement, cur))
    columns[2].metric(
        "Cost as a share of R", fmt.share(cost / solution.requirement) if cost is not None else "—"
    )
    marginal = solution.marginal_cost_of_requirement
    columns[3].metric(
        f"Marginal cost per {fmt.short(marginal_step(solution), cur)} of R",
        fmt.short(marginal * marginal_step(solution), cur) if marginal is not None else "—",
        help=f"What each {fmt.short(marginal_step(solution), cur)} more of R would add to the annual cost, "
        f"from the LP's duals. {solution.duals_note}." + (_NEGATIVE_MARGINAL if (marginal or 0) < 0 else ""),
    )
    if marginal is not None and marginal < 0:
        # On the page, not only in the tooltip: a cost that falls as R rises needs saying.
        step = fmt.short(marginal_step(solution), cur)
        st.info(
            f"**More R would cost less here:** each {step} more of R lowers the annual cost by "
            f"{fmt.short(-marginal * marginal_step(solution), cur)}.{_NEGATIVE_MARGINAL}",
            icon=":material/trending_down:",
        )


def mix_frame(solution: Solution, compact: bool = False) -> pd.DataFrame:
    """The optimal mix as a readable table, one row per instrument in the case's order."""
    cur = solution.currency
    rows = []
    for item in solution.allocations:
        quantity = quantity_words(item)
        row = {
            "instrument": item.id,
            "kind": item.kind,
            "bought": fmt.money(item.amount, cur),
            "annual cost": fmt.money(item.annual_cost, cur),
        }
        if not compact:
            row |= {
                "counterparty": item.counterparty or "",
                "share / units": quantity,
                "credited": fmt.money(item.credited, cur),
                "all on offer": "yes" if item.at_capacity else "",
            }
        rows.append(row)
    return pd.DataFrame(rows)


def show_binding(solution: Solution) -> None:
    """What binds, in plain words."""
    if not solution.binding:
        st.write("Nothing binds: every limit has room.")
        return
    st.markdown("\n".join(f"- {esc(item.text)}" for item in solution.binding))


def not_bought_frame(signals: Sequence[PriceSignal], currency: str) -> pd.DataFrame:
    """Each instrument not bought, its price now and the price at which it would enter the mix."""
    rows = []
    for signal in signals:
        rows.append(
            {
                "instrument": signal.id,
                "priced by": signal.price_field,
                "now": _price(signal.price_field, signal.current, currency),
                "enters the mix at": _price(signal.price_field, signal.break_even, currency)
                if signal.break_even > 0
                else "never: even free, it does not help",
            }
        )
    return pd.DataFrame(rows)


def _price(field: str, value: float, currency: str) -> str:
    if field == "premium":
        return f"{fmt.money(value, currency)} per unit"
    return f"{fmt.rate(value)} a year"


def show_infeasible(solution: Solution) -> None:
    """The diagnosis of an infeasible case: what cannot be covered and the single fixes."""
    cur = solution.currency
    st.error(
        "**No mix of the instruments on offer meets this case.**\n\n"
        + "\n".join(f"- {esc(item.text)}" for item in solution.diagnosis),
        icon=":material/block:",
    )
    if not solution.fixes:
        st.warning("No single change of one limit makes it feasible; several must change together.")
        return
    st.subheader("Single changes that would make it feasible, cheapest first")
    show_table(
        pd.DataFrame(
            [
                {"change": fix.change, "annual cost of the mix then": fmt.money(fix.total_cost, cur)}
                for fix in solution.fixes
            ]
        )
    )
