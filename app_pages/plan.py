"""Plan page: build the reserve over several years (the case's `plan:` section, model.md section 7).

A stacked chart of what is held each year, with the cash balance as a line, and sliders for
the set-aside capacity and the phase-in; the path is re-solved at once. An infeasible plan
shows, year by year, what cannot be met in money and the capacity that would work.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from optimizer import Case, CaseError, SolverError, Status, check_case
from optimizer.plan.answer import PlanSolution
from optimizer.plan.pipeline import optimize_plan
from optimizer.workbench.plan_variants import default_plan, plan_variant
from ui import format as fmt
from ui.charts import money_unit
from ui.i18n import language, t
from ui.messages import binding_text, fix_text, shortfall_text
from ui.plan_charts import mix_chart, year_frame
from ui.state import case_data, case_json, case_source, current_case, replace_case, source_of, version
from ui.tables import show_table
from ui.text import esc
from ui.views import page_case, show_problems

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


def _base(case: Case) -> dict[str, Any]:
    """The raw case the levers move: the edited case, or the last valid version while it has problems."""
    return case_data() if isinstance(current_case(), Case) else case.model_dump(mode="json")


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
        t("plan.capacity", unit=unit),
        min_value=0.0,
        max_value=float(round(top, 2)),
        value=float(round(current / size, 2)),
        step=float(round(top / 200, 3)) or 0.01,
        # The unit in the key: a slider kept across a change of unit (the 億円 toggle, an edited R)
        # would read its old number in the new unit (2.00 ¥bn becoming 2.00億円).
        key=f"plan_capacity_{version()}_{unit}",
        help=t("plan.capacity_help"),
    )
    capacity = None if abs(chosen * size - current) < 0.005 * size else round(chosen * size)
    if capacity is not None and not isinstance(money_cap, float):
        st.caption(t("plan.one_amount"))
    first = plan.requirement_fractions[0] if plan.requirement_fractions else 1.0
    phase = st.slider(
        t("plan.phase"),
        min_value=5,
        max_value=100,
        value=round(first * 100),
        step=5,
        format="%d%%",
        key=f"plan_phase_{version()}",
        help=t("plan.phase_help"),
        disabled=plan.years == 1,
    )
    first_fraction = None if phase == round(first * 100) else phase / 100
    return plan_variant(_base(case), capacity, first_fraction)


def plan_years_figures(case: Case) -> list[float]:
    """R_t of every plan year (without solving)."""
    from optimizer.plan.years import plan_years

    return [year.basis.amount for year in plan_years(case)]


def _worth(capacity: float | None, value: float | None, currency: str) -> str:
    """What one more round step of set-aside capacity would save this year, or ""."""
    if not value:
        return ""
    step = 10 ** max(len(f"{int(capacity or 1):d}") - 2, 0)
    return " " + t("plan.worth", step=fmt.short(step, currency), saving=fmt.short(value * step, currency))


def _show_answer(solution: PlanSolution, below: DeltaGenerator) -> None:
    """Figures and the chart here; the table and what binds in ``below`` (the page's full width)."""
    cur = solution.currency
    first, last = solution.years[0], solution.years[-1]
    left, middle, right = st.columns(3)
    discounted, total = solution.discounted_cost or 0.0, solution.total_cost or 0.0
    left.metric(t("plan.discounted"), fmt.short(discounted, cur), help=fmt.money(discounted, cur))
    middle.metric(t("plan.undiscounted"), fmt.short(total, cur), help=fmt.money(total, cur))
    right.metric(t("plan.cash_in_year", year=last.year), fmt.short(last.cash, cur), help=fmt.money(last.cash, cur))
    st.altair_chart(mix_chart(solution), width="stretch")
    st.caption(t("plan.chart_caption", first=fmt.short(first.requirement, cur), last=fmt.short(last.requirement, cur)))
    with below:
        show_table(year_frame(solution))
        st.markdown("**" + t("plan.binds") + "**")
        lines = []
        for year in solution.years:
            texts = [esc(binding_text(item)) for item in year.binding] or [t("plan.nothing_binds")]
            worth = _worth(year.capacity, year.capacity_value, cur)
            lines.append("- " + t("plan.year_binds", year=t("plan.year_label", year=year.year),
                                  items=t("plan.binds_separator").join(texts)) + worth)
        st.markdown("\n".join(lines))
        st.caption(
            t("plan.verified", verified=t("form.yes") if solution.verified else t("form.no"),
              rate=fmt.rate(solution.discount_rate), solver=esc(solution.solver),
              ms=f"{solution.timings.get('total', 0.0) * 1000:.0f}")
        )


def _show_infeasible(solution: PlanSolution, data: dict[str, Any]) -> None:
    st.error(
        t("plan.no_path") + "\n\n" + "\n".join(f"- {esc(shortfall_text(item))}" for item in solution.diagnosis),
        icon=":material/block:",
    )
    if not solution.fixes:
        st.info(t("plan.no_fix"))
        return
    fix = solution.fixes[0]
    cost = fmt.money(fix.total_cost, solution.currency)
    change = fix_text(fix)
    if language() == "en":  # "raise plan.max_set_aside ..." opens the sentence; a path in Japanese keeps its case
        change = change[:1].upper() + change[1:]
    st.info(t("plan.fix", change=esc(change), cost=cost))
    if fix.field == "plan.max_set_aside" and fix.proposed is not None:
        if st.button(t("plan.apply_fix"), key="plan_apply_fix", type="primary"):
            fixed = plan_variant(data, capacity=fix.proposed)
            replace_case(fixed, source_of("plan.source_fixed", source=case_source()),
                         t("notice.applied", change=esc(fix_text(fix))))
            st.rerun()


st.title(t("plan.title"))
st.caption(t("plan.intro"))
case = page_case()  # None after showing the problems when no version of the case was valid
if case is not None and case.plan is None:
    st.info(t("plan.no_plan"), icon=":material/calendar_month:")
    if st.button(t("plan.add"), key="plan_add"):
        data = dict(_base(case))
        data["plan"] = default_plan(case)
        replace_case(data, source_of("plan.source_added", source=case_source()), t("plan.added"))
        st.rerun()
elif case is not None:
    st.caption(f"{esc(case.name)} — {esc(case_source())}")
    controls, result = st.columns([1, 3], gap="large")
    with controls:
        st.subheader(t("plan.levers"))
        moved = _levers(case)
    below = st.container()  # under both columns: the year table needs the page's width
    with result:
        variant: Case | None = None
        try:
            variant = check_case(moved, t("plan.with_levers"))
        except CaseError as error:
            show_problems(error, t("plan.invalid"))
        if variant is not None:
            answer = _solve(variant)
            if isinstance(answer, SolverError):
                st.error(t("plan.solver_failed", error=esc(answer)), icon=":material/error:")
            elif answer.status is Status.INFEASIBLE:
                _show_infeasible(answer, moved)
            else:
                _show_answer(answer, below)
