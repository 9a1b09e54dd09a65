"""Saved scenarios on the What-if page.

Save the current variant, compare several side by side (mix, cost, what binds), open one
again, delete one.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from optimizer import Case, Solution
from optimizer.workbench.variants import NO_LIMIT, Levers
from optimizer.workbench.workspace import Scenario, ScenarioExistsError, WorkspaceBusyError, WorkspaceError
from ui import format as fmt
from ui.i18n import t
from ui.messages import binding_text, shortfall_text, target_label
from ui.solving import workspace, workspace_error
from ui.state import replace_case, set_levers, set_notice, source_of
from ui.text import esc

_CHOICE = "compare_choice"
_NAME = "scenario_name"
_CLEAR_NAME = "_clear_scenario_name"


def save_form(base: Case, levers: Levers, variant: Case, answer: Solution) -> None:
    """A name and a button that saves the variant and its answer in the workspace.

    The name is cleared only once the scenario is saved: a refusal (a taken name, a workspace
    busy with another session's write) keeps what the user typed, to try again.
    """
    store = workspace()
    if store is None:
        st.warning(t("scenarios.unavailable", error=esc(workspace_error())))
        return
    if st.session_state.pop(_CLEAR_NAME, False):
        st.session_state[_NAME] = ""  # before the widget exists, which is when Streamlit allows it
    with st.form("save_scenario", border=False):
        name = st.text_input(t("scenarios.name"), placeholder=t("scenarios.name_placeholder"), key=_NAME)
        if st.form_submit_button(t("scenarios.save"), icon=":material/bookmark_add:"):
            try:
                store.save_scenario(
                    name,
                    base_case=base.model_dump(mode="json"),
                    levers=levers.to_dict(),
                    case=variant.model_dump(mode="json"),
                    answer=answer.to_dict(),
                )
            except WorkspaceBusyError as error:
                st.error(t("scenarios.not_saved", error=esc(error)))
            except (ScenarioExistsError, ValueError, WorkspaceError) as error:
                st.error(esc(error))
            else:
                st.session_state[_CHOICE] = [*st.session_state.get(_CHOICE, []), name.strip()]
                st.session_state[_CLEAR_NAME] = True
                set_notice(t("notice.saved_scenario", name=esc(repr(name.strip()))))
                st.rerun()


def levers_words(levers: Levers, currency: str) -> str:
    """The levers a scenario moved, in words: "R ¥12.0bn; all insurance ×1.50; cash floor none"."""
    words = []
    if levers.requirement is not None:
        words.append(t("scenarios.lever_r", amount=fmt.short(levers.requirement, currency)))
    if levers.cash_cost_rate is not None:
        words.append(t("scenarios.lever_cash", rate=fmt.rate(levers.cash_cost_rate)))
    scaled = levers.premium_scale.items()
    words += [f"{target_label(target)} ×{factor:.2f}" for target, factor in scaled if factor != 1.0]
    for name, value in (("cap", levers.max_insurance_fraction), ("floor", levers.min_cash_fraction)):
        if value is not None:
            shown = t("levers.none") if value == NO_LIMIT else fmt.rate(value)
            words.append(t(f"scenarios.lever_{name}", value=shown))
    words += [f"{name} {value:g}" for name, value in levers.assumptions.items()]
    return "; ".join(words) or t("scenarios.no_levers")


def _column(
    summary: dict[str, Any], currency: str, status: str, cost: float | None, requirement: float,
    moved: str = "",
) -> dict[str, str]:
    column = {
        t("scenarios.row_levers"): moved,
        t("scenarios.row_requirement"): fmt.short(requirement, currency),
        t("scenarios.row_cost"): t("views.infeasible") if cost is None else fmt.money(cost, currency),
        t("scenarios.row_status"): status,
    }
    for instrument, amount in summary.get("allocations", {}).items():
        column[t("scenarios.row_bought", instrument=instrument)] = fmt.short(amount, currency) if amount > 0 else "—"
    texts = summary.get("binding") or summary.get("diagnosis") or [t("scenarios.nothing_binds")]
    column[t("scenarios.row_binds")] = "\n".join(f"• {text}" for text in texts)
    return column


def current_summary(answer: Solution, *, shown: bool = False) -> dict[str, Any]:
    """The current answer in the shape saved with a scenario.

    Saved, what binds is kept in the optimizer's English (as the CLI says it); ``shown``: in
    the session's language, for the current answer's own column.
    """
    return {
        "allocations": {item.id: item.amount for item in answer.allocations},
        "binding": [binding_text(item) if shown else item.text for item in answer.binding],
        "diagnosis": [shortfall_text(item) if shown else item.text for item in answer.diagnosis],
    }


def comparison_frame(
    scenarios: list[Scenario], answer: Solution | None, levers: Levers | None = None
) -> pd.DataFrame:
    """Scenarios side by side: one column each, rows for the levers, R, cost, status, the mix, what binds."""
    columns: dict[str, dict[str, str]] = {}
    if answer is not None:
        summary = current_summary(answer, shown=True)
        columns[t("scenarios.current")] = _column(
            summary, answer.currency, str(answer.status), answer.total_cost, answer.requirement,
            levers_words(levers or Levers(), answer.currency),
        )
    for scenario in scenarios:
        columns[scenario.name] = _column(
            scenario.summary, scenario.currency, scenario.status, scenario.total_cost, scenario.requirement,
            levers_words(Levers.from_dict(scenario.levers), scenario.currency),
        )
    frame = pd.DataFrame(columns)
    order = [t(f"scenarios.row_{name}") for name in ("levers", "requirement", "cost", "status")]
    prefix = t("scenarios.row_bought", instrument="")
    bought = sorted(index for index in frame.index if str(index).startswith(prefix))
    return frame.reindex([*order, *bought, t("scenarios.row_binds")]).fillna("—")


def compare_section(answer: Solution | None, case: Case, levers: Levers) -> None:
    """Pick saved scenarios of this case and see them beside the current answer; open or delete one."""
    store = workspace()
    if store is None:
        return
    try:
        every = store.scenarios()
    except WorkspaceError as error:
        st.warning(t("scenarios.not_shown", error=esc(error)))
        return
    # Scenarios belong to the case they were made from (by its name); others on request.
    others = st.toggle(t("scenarios.others"), key="scenarios_all_cases", help=t("scenarios.others_help"))
    saved = every if others else [scenario for scenario in every if scenario.base_case.get("name") == case.name]
    if not saved:
        hidden = len(every) - len(saved)
        more = " " + t("scenarios.hidden", count=hidden) if hidden else ""
        st.info(t("scenarios.none_yet") + more)
        return
    by_name = {scenario.name: scenario for scenario in saved}
    # The choice lives in session state (not a default) so a scenario saved or deleted just
    # now joins or leaves it.
    previous = st.session_state.get(_CHOICE)
    start = previous if previous is not None else list(by_name)[-3:]
    st.session_state[_CHOICE] = [name for name in start if name in by_name]
    chosen = st.multiselect(
        t("scenarios.compare"),
        list(by_name),
        key=_CHOICE,
        help=t("scenarios.compare_help"),
    )
    picked = [by_name[name] for name in chosen]
    # A static table: every cell wraps, so "what binds" reads in full without an inner scroll.
    # Its cells are Markdown: user text (names, ids in the texts) is escaped.
    frame = comparison_frame(picked, answer, levers)
    shown = frame.map(lambda text: "  \n".join(esc(line) for line in str(text).split("\n")))
    shown.columns = [esc(name) for name in frame.columns]
    shown.index = [esc(name) for name in frame.index]
    st.table(shown)
    if not picked:
        return
    target_name = st.selectbox(t("scenarios.scenario"), [scenario.name for scenario in picked], key="scenario_action")
    target = by_name[target_name]
    open_column, delete_column = st.columns(2)
    if open_column.button(t("scenarios.open"), icon=":material/open_in_new:", key="open_scenario"):
        replace_case(target.base_case, source_of("source.scenario", name=target.name))
        set_levers(Levers.from_dict(target.levers))
        set_notice(t("notice.opened_scenario", name=esc(repr(target.name))))
        st.rerun()
    if delete_column.button(t("scenarios.delete"), icon=":material/delete:", key="delete_scenario"):
        try:
            store.delete_scenario(target.id)
        except WorkspaceError as error:
            st.error(t("scenarios.not_deleted", error=esc(error)))
            return
        set_notice(t("notice.deleted_scenario", name=esc(repr(target.name))))
        st.rerun()
