"""Plan page: build the reserve over several years (the case's `plan:` section, model.md section 7).

A stacked chart of what is held each year, with the cash balance as a line, and sliders for
the set-aside capacity and the phase-in; the path is re-solved at once. An infeasible plan
shows, year by year, what cannot be met in money and the capacity that would work.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from optimizer import Case, CaseError, SolverError, Status, check_case
from optimizer.case.money import money, percent, short_money
from optimizer.plan.answer import PlanSolution
from optimizer.plan.pipeline import optimize_plan
from optimizer.workbench.plan_variants import default_plan, plan_variant
from ui.charts import money_unit
from ui.state import case_data, case_json, case_source, current_case, replace_case, version
from ui.views import show_problems

_MEMO = "_plan_solutions"
_MEMO_SIZE = 64
"""Plans kept per session: enough for both sliders' ranges and back."""


def _solve(case: Case) -> PlanSolution | SolverError:
    """The plan's answer, memoised per session by the case's canonical JSON."""
    key = case_json(case.model_dump(mode="json"))
    memo: OrderedDict[str, PlanSolution | SolverError] = st.session_state.setdefault(_MEMO, OrderedDict())
    if key not in memo:
        try:
            memo[key] = optimize_plan(case)
        except SolverError as error:
            memo[key] = error
        while len(memo) > _MEMO_SIZE:
            memo.popitem(last=False)
    memo.move_to_end(key)
    return memo[key]


def _levers(case: Case) -> dict[str, Any]:
    """The two sliders; returns the case data with the moved levers applied."""
    assert case.plan is not None
    plan = case.plan
    years = plan_years_figures(case)
    requirement = max(years)
    size, unit = money_unit(requirement, case.currency)
    money_cap = plan.max_set_aside
    current = money_cap if isinstance(money_cap, float) else (max(money_cap) if money_cap else requirement)
    top = max(2 * requirement, current) / size
    chosen = st.slider(
        f"Set-aside capacity a year ({unit})",
        min_value=0.0,
        max_value=float(round(top, 2)),
        value=float(round(current / size, 2)),
        step=float(round(top / 200, 3)) or 0.01,
        key=f"plan_capacity_{version()}",
        help="The most cash that can be set aside in one year (plan.max_set_aside).",
    )
    capacity = None if abs(chosen * size - current) < 0.005 * size else round(chosen * size)
    if capacity is not None and not isinstance(money_cap, float):
        st.caption("The slider sets one amount for every year, replacing the case's own capacity.")
    first = plan.requirement_fractions[0] if plan.requirement_fractions else 1.0
    phase = st.slider(
        "Phase-in: share of R required in year 1",
        min_value=5,
        max_value=100,
        value=round(first * 100),
        step=5,
        format="%d%%",
        key=f"plan_phase_{version()}",
        help="R rises in a straight line from this share in year 1 to all of R in the last year.",
        disabled=plan.years == 1,
    )
    first_fraction = None if phase == round(first * 100) else phase / 100
    return plan_variant(case_data(), capacity, first_fraction)


def plan_years_figures(case: Case) -> list[float]:
    """R_t of every plan year (without solving)."""
    from optimizer.plan.years import plan_years

    return [year.basis.amount for year in plan_years(case)]


def mix_chart(solution: PlanSolution) -> alt.LayerChart:
    """Money held or bought each year, stacked by instrument, with the cash balance and R_t."""
    size, unit = money_unit(max(year.requirement for year in solution.years), solution.currency)
    rows = [
        {"year": str(year.year), "instrument": item.id, "kind": item.kind, "amount": item.amount / size}
        for year in solution.years
        for item in year.allocations
        if item.amount > 0
    ]
    bars = (
        alt.Chart(pd.DataFrame(rows, columns=["year", "instrument", "kind", "amount"]))
        .mark_bar()
        .encode(
            x=alt.X("year:N", title="plan year"),
            y=alt.Y("amount:Q", stack="zero", title=f"held or bought ({unit})"),
            color=alt.Color("instrument:N", title="instrument"),
            tooltip=["year:N", "instrument:N", "kind:N", alt.Tooltip("amount:Q", format=",.3f", title=unit)],
        )
    )
    path = pd.DataFrame(
        {
            "year": [str(year.year) for year in solution.years],
            "cash balance": [year.cash / size for year in solution.years],
            "requirement": [year.requirement / size for year in solution.years],
        }
    )
    cash = (
        alt.Chart(path)
        .mark_line(point=True, color="black", strokeWidth=2)
        .encode(x="year:N", y="cash balance:Q", tooltip=["year:N", alt.Tooltip("cash balance:Q", format=",.3f")])
    )
    required = (
        alt.Chart(path)
        .mark_tick(color="red", thickness=2, size=40)
        .encode(x="year:N", y="requirement:Q", tooltip=["year:N", alt.Tooltip("requirement:Q", format=",.3f")])
    )
    return alt.layer(bars, cash, required).properties(title="The mix over the years", height=360)


def _year_frame(solution: PlanSolution) -> pd.DataFrame:
    cur = solution.currency
    return pd.DataFrame(
        {
            "Year": [year.year for year in solution.years],
            "Requirement": [money(year.requirement, cur) for year in solution.years],
            "Cash held": [money(year.cash, cur) for year in solution.years],
            "Set aside": [money(year.set_aside, cur) for year in solution.years],
            "Released": [money(year.release, cur) for year in solution.years],
            "Capacity": ["no limit" if y.capacity is None else money(y.capacity, cur) for y in solution.years],
            "Annual cost": [money(year.annual_cost, cur) for year in solution.years],
            "Discounted": [money(year.discounted_cost, cur) for year in solution.years],
        }
    )


def _show_answer(solution: PlanSolution) -> None:
    cur = solution.currency
    first, last = solution.years[0], solution.years[-1]
    left, middle, right = st.columns(3)
    left.metric("Discounted cost of the plan", short_money(solution.discounted_cost or 0.0, cur))
    middle.metric("Undiscounted", short_money(solution.total_cost or 0.0, cur))
    right.metric(f"Cash held in year {last.year}", short_money(last.cash, cur))
    st.altair_chart(mix_chart(solution), width="stretch")
    st.caption(
        "Bars: money held or bought each year by instrument. Black line: the cash balance. "
        f"Red ticks: that year's requirement (from {short_money(first.requirement, cur)} to "
        f"{short_money(last.requirement, cur)})."
    )
    st.dataframe(_year_frame(solution), hide_index=True, width="stretch")
    st.markdown("**What binds, year by year**")
    for year in solution.years:
        texts = [item.text for item in year.binding] or ["nothing (every limit has room)"]
        worth = ""
        if year.capacity_value:
            step = 10 ** max(len(f"{int(year.capacity or 1):d}") - 2, 0)
            worth = (
                f" One more {short_money(step, cur)} of set-aside capacity this year would save "
                f"{short_money(year.capacity_value * step, cur)} (discounted)."
            )
        st.markdown(f"- **Year {year.year}**: " + "; ".join(texts) + "." + worth)
    st.caption(
        f"Every year's mix and the cash path verified without the LP: {'yes' if solution.verified else 'no'}. "
        f"Discount rate {percent(solution.discount_rate)}; solver {solution.solver}, "
        f"{solution.timings.get('total', 0.0) * 1000:.0f} ms."
    )


def _show_infeasible(solution: PlanSolution, data: dict[str, Any]) -> None:
    st.error("No path over the years meets every year's requirement.", icon=":material/block:")
    st.markdown("\n".join(f"- {item.text}" for item in solution.diagnosis))
    if not solution.fixes:
        st.info("More set-aside capacity alone does not make this plan feasible; see the limits above.")
        return
    fix = solution.fixes[0]
    cost = money(fix.total_cost, solution.currency)
    st.info(f"{fix.change[0].upper()}{fix.change[1:]}: the plan would then cost {cost} (discounted).")
    if fix.field == "plan.max_set_aside" and fix.proposed is not None:
        if st.button("Apply this capacity to the case", key="plan_apply_fix", type="primary"):
            fixed = plan_variant(data, capacity=fix.proposed)
            replace_case(fixed, f"{case_source()}, capacity fixed", f"Applied: {fix.change}.")
            st.rerun()


st.title("Plan")
case = current_case()
if isinstance(case, CaseError):
    show_problems(case, "The case has problems; fix them on the Case or Market page")
elif case.plan is None:
    st.info(
        "This case has no `plan:` section, so it is optimised for one year only. Load the example "
        "`jp-midsize-plan.yaml` on the Case page, or start from a plan that phases R in over four years.",
        icon=":material/calendar_month:",
    )
    if st.button("Add a 4-year plan to this case", key="plan_add"):
        data = dict(case_data())
        data["plan"] = default_plan(case)
        replace_case(data, f"{case_source()}, with a plan", "Added a 4-year plan: R phased in evenly.")
        st.rerun()
else:
    st.caption(f"{case.name} — {case_source()}")
    controls, result = st.columns([1, 3], gap="large")
    with controls:
        st.subheader("Levers")
        moved = _levers(case)
    with result:
        variant: Case | None = None
        try:
            variant = check_case(moved, "the plan with these levers")
        except CaseError as error:
            show_problems(error, "These lever settings make the plan invalid")
        if variant is not None:
            answer = _solve(variant)
            if isinstance(answer, SolverError):
                st.error(f"The solver did not prove an optimal plan, so nothing is reported: {answer}")
            elif answer.status is Status.INFEASIBLE:
                _show_infeasible(answer, moved)
            else:
                _show_answer(answer)
