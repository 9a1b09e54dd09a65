"""Views shared by several pages: problems, the answer's headline figures and tables."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from optimizer import Case, CaseError, Solution
from optimizer.case.errors import Problem
from optimizer.coverage.solution import Allocation, PriceSignal
from ui import format as fmt
from ui.format import delta as signed_change
from ui.i18n import t
from ui.messages import binding_text, duals_note, fix_text, problem_message, search_text, shortfall_text
from ui.tables import show_table
from ui.text import code, esc


def show_problems(error: CaseError, intro: str | None = None, *, open_case: bool = False) -> None:
    """Every problem of a case or file in one message, as the CLI lists them.

    ``open_case``: the problems are the open case's, so each names its Market row too.
    """
    count = len(error.problems)
    head = intro or t("views.has_problems", source=esc(error.source), count=count)
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
    if isinstance(name, str) and name:
        return t("views.market_row_named", row=index + 1, name=name)
    return t("views.market_row", row=index + 1)


def problem_text(problem: Problem, open_case: bool = True) -> str:
    """One problem as a Markdown line: the field path, the Market row it is in, the message."""
    message = problem_message(problem)
    if not problem.path:
        return esc(message)
    row = where_in_market(problem.path) if open_case else ""
    return f"{code(problem.path)}{f' ({esc(row)})' if row else ''} {esc(message)}"


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
        show_problems(problems, t("views.fix_first"), open_case=True)
        return None
    count = len(problems.problems)
    lines = "\n".join(f"- {problem_text(problem)}" for problem in problems.problems[:8])
    more = "\n- " + t("views.more", count=count - 8) if count > 8 else ""
    st.warning(
        t("views.last_valid", count=count) + f"\n\n{lines}{more}",
        icon=":material/history:",
    )
    return case




def marginal_step(solution: Solution) -> float:
    """A round step of R to quote the marginal cost against: a tenth of R's order of magnitude."""
    return float(10 ** (math.floor(math.log10(solution.requirement)) - 1))


def marginal_words(solution: Solution) -> str:
    """The marginal cost of R as a CFO reads it: "¥38.0m per ¥1.0bn" (a year, per more of R)."""
    marginal = solution.marginal_cost_of_requirement
    if marginal is None:
        return "—"
    step = marginal_step(solution)
    return t("views.per", amount=fmt.short(marginal * step, solution.currency), step=fmt.short(step, solution.currency))


def headline(solution: Solution, baseline: float | None = None, per_row: int = 4) -> None:
    """The answer's figures as metrics, ``per_row`` to a row (with the change against ``baseline``)."""
    cur = solution.currency
    cost = solution.total_cost
    columns = [*st.columns(per_row), *(st.columns(per_row) if per_row < 4 else [])]
    delta = None
    if cost is not None and baseline is not None and abs(cost - baseline) > 0.5:
        # A number with an ASCII sign: a saving reads "-¥31.2m", points down and is green
        # (delta_color="inverse": for a cost, lower is better).
        delta = t("views.vs_case", change=signed_change(cost - baseline, cur))
    columns[0].metric(
        t("views.cost"),
        fmt.short(cost, cur) if cost is not None else t("views.infeasible"),
        delta=delta,
        delta_color="inverse",
        help=fmt.money(cost, cur) if cost is not None else None,
    )
    columns[1].metric(t("form.requirement"), fmt.short(solution.requirement, cur),
                      help=fmt.money(solution.requirement, cur))
    columns[2].metric(
        t("views.share"), fmt.share(cost / solution.requirement) if cost is not None else "—"
    )
    marginal = solution.marginal_cost_of_requirement
    columns[3].metric(
        t("views.marginal", step=fmt.short(marginal_step(solution), cur)),
        fmt.short(marginal * marginal_step(solution), cur) if marginal is not None else "—",
        help=t("views.marginal_help", step=fmt.short(marginal_step(solution), cur), note=duals_note(solution))
        + (" " + t("views.negative_why") if (marginal or 0) < 0 else ""),
    )
    if marginal is not None and marginal < 0:
        # On the page, not only in the tooltip: a cost that falls as R rises needs saying.
        step = fmt.short(marginal_step(solution), cur)
        st.info(
            t("views.negative", step=step, saving=fmt.short(-marginal * marginal_step(solution), cur))
            + " " + t("views.negative_why"),
            icon=":material/trending_down:",
        )


def mix_frame(solution: Solution, compact: bool = False) -> pd.DataFrame:
    """The optimal mix as a readable table, one row per instrument in the case's order."""
    cur = solution.currency
    rows = []
    for item in solution.allocations:
        quantity = _quantity(item)
        row = {
            t("views.col_instrument"): item.id,
            t("views.col_kind"): t(f"kind.{item.kind}"),
            t("views.col_bought"): fmt.money(item.amount, cur),
            t("views.col_cost"): fmt.money(item.annual_cost, cur),
        }
        if not compact:
            row |= {
                t("views.col_counterparty"): item.counterparty or "",
                t("views.col_quantity"): quantity,
                t("views.col_credited"): fmt.money(item.credited, cur),
                t("views.col_all"): t("form.yes") if item.at_capacity else "",
            }
        rows.append(row)
    return pd.DataFrame(rows)


def _quantity(item: Allocation) -> str:
    """The decision in its own unit, in the session's language: "share 40%", "2 units"."""
    if item.share is not None:
        return t("views.quantity_share", share=fmt.rate(item.share))
    if item.units is not None:
        return t("views.quantity_units", units=f"{item.units:.4g}")
    return ""


def show_binding(solution: Solution) -> None:
    """What binds, in plain words."""
    if not solution.binding:
        st.write(t("views.nothing_binds"))
        return
    st.markdown("\n".join(f"- {esc(binding_text(item))}" for item in solution.binding))


def not_bought_frame(signals: Sequence[PriceSignal], currency: str) -> pd.DataFrame:
    """Each instrument not bought, its price now and the price at which it would enter the mix."""
    rows = []
    for signal in signals:
        rows.append(
            {
                t("views.col_instrument"): signal.id,
                t("views.col_priced_by"): signal.price_field,
                t("views.col_now"): price_words(signal.price_field, signal.current, currency),
                t("views.col_enters"): price_words(signal.price_field, signal.break_even, currency)
                if signal.break_even is not None and signal.break_even > 0
                else t("views.never"),
            }
        )
    return pd.DataFrame(rows)


def price_words(field: str, value: float, currency: str) -> str:
    """An instrument's price in words: "¥40,000,000 per unit" (premium), "3.5% a year" (a rate)."""
    if field == "premium":
        return t("views.per_unit", price=fmt.money(value, currency))
    return t("views.a_year", rate=fmt.rate(value))


def show_infeasible(solution: Solution) -> None:
    """The diagnosis of an infeasible case: what cannot be covered and the single fixes."""
    cur = solution.currency
    st.error(
        t("views.no_mix") + "\n\n"
        + "\n".join(f"- {esc(shortfall_text(item))}" for item in solution.diagnosis),
        icon=":material/block:",
    )
    if not solution.fixes:
        st.warning(t("views.no_single_fix"))
        return
    st.subheader(t("views.fixes"))
    show_table(
        pd.DataFrame(
            [
                {t("views.col_change"): fix_text(fix), t("views.col_cost_then"): fmt.money(fix.total_cost, cur)}
                for fix in solution.fixes
            ]
        )
    )
    if solution.fix_search:
        st.caption(esc(search_text(solution)))
