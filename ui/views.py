"""Views shared by several pages: problems, the answer's headline figures and tables."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from optimizer import CaseError, Solution
from optimizer.case.errors import Problem
from optimizer.case.money import money, percent, short_money
from optimizer.coverage.solution import PriceSignal
from optimizer.workbench.report import quantity_words


def show_problems(error: CaseError, intro: str | None = None) -> None:
    """Every problem of a case or file in one message, as the CLI lists them."""
    count = len(error.problems)
    head = intro or f"{error.source} has {count} problem{'s' if count != 1 else ''}"
    lines = "\n".join(f"- {_problem_text(problem)}" for problem in error.problems)
    st.error(f"**{head}:**\n\n{lines}", icon=":material/error:")


def _problem_text(problem: Problem) -> str:
    return f"`{problem.path}` {problem.message}" if problem.path else problem.message


def require_case() -> None:
    """Stop the page with the problems when the edited case is not valid."""
    from ui.state import current_case  # here, not at import: keeps this module free of session state

    case = current_case()
    if isinstance(case, CaseError):
        show_problems(case, "The case has problems; fix them on the Case or Market page")
        st.stop()


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
    return f"{short_money(marginal * step, solution.currency)} per {short_money(step, solution.currency)}"


def headline(solution: Solution, baseline: float | None = None, per_row: int = 4) -> None:
    """The answer's figures as metrics, ``per_row`` to a row (with the change against ``baseline``)."""
    cur = solution.currency
    cost = solution.total_cost
    columns = [*st.columns(per_row), *(st.columns(per_row) if per_row < 4 else [])]
    delta = None
    if cost is not None and baseline is not None and abs(cost - baseline) > 0.5:
        delta = f"{'+' if cost > baseline else '−'}{short_money(abs(cost - baseline), cur)} vs the case"
    columns[0].metric(
        "Optimal annual cost",
        short_money(cost, cur) if cost is not None else "infeasible",
        delta=delta,
        delta_color="inverse",
        help=money(cost, cur) if cost is not None else None,
    )
    columns[1].metric("Requirement R", short_money(solution.requirement, cur), help=money(solution.requirement, cur))
    columns[2].metric(
        "Cost as a share of R", percent(cost / solution.requirement) if cost is not None else "—"
    )
    marginal = solution.marginal_cost_of_requirement
    columns[3].metric(
        f"Marginal cost per {short_money(marginal_step(solution), cur)} of R",
        short_money(marginal * marginal_step(solution), cur) if marginal is not None else "—",
        help=f"What each {short_money(marginal_step(solution), cur)} more of R would add to the annual cost, "
        f"from the LP's duals. {solution.duals_note}." + (_NEGATIVE_MARGINAL if (marginal or 0) < 0 else ""),
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
            "bought": money(item.amount, cur),
            "annual cost": money(item.annual_cost, cur),
        }
        if not compact:
            row |= {
                "counterparty": item.counterparty or "",
                "share / units": quantity,
                "credited": money(item.credited, cur),
                "all on offer": "yes" if item.at_capacity else "",
            }
        rows.append(row)
    return pd.DataFrame(rows)


def show_binding(solution: Solution) -> None:
    """What binds, in plain words."""
    if not solution.binding:
        st.write("Nothing binds: every limit has room.")
        return
    st.markdown("\n".join(f"- {item.text}" for item in solution.binding))


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
                if signal.break_even is not None and signal.break_even > 0
                else "never: even free, it does not help",
            }
        )
    return pd.DataFrame(rows)


def _price(field: str, value: float, currency: str) -> str:
    if field == "premium":
        return f"{money(value, currency)} per unit"
    return f"{percent(value)} a year"


def show_infeasible(solution: Solution) -> None:
    """The diagnosis of an infeasible case: what cannot be covered and the single fixes."""
    cur = solution.currency
    st.error(
        "**No mix of the instruments on offer meets this case.**\n\n"
        + "\n".join(f"- {item.text}" for item in solution.diagnosis),
        icon=":material/block:",
    )
    if not solution.fixes:
        st.warning("No single change of one limit makes it feasible; several must change together.")
        return
    st.subheader("Single changes that would make it feasible, cheapest first")
    st.dataframe(
        pd.DataFrame(
            [
                {"change": fix.change, "annual cost of the mix then": money(fix.total_cost, cur)}
                for fix in solution.fixes
            ]
        ),
        hide_index=True,
        width="stretch",
    )
