"""Saved scenarios on the What-if page.

Save the current variant, compare several side by side (mix, cost, what binds), open one
again, delete one.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from optimizer import Case, Solution
from optimizer.case.money import money, short_money
from optimizer.workbench.variants import Levers
from optimizer.workbench.workspace import Scenario, ScenarioExistsError, WorkspaceBusyError, WorkspaceError
from ui.solving import workspace, workspace_error
from ui.state import replace_case, set_levers, set_notice

CURRENT = "Current (unsaved)"
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
        st.warning(f"Scenarios cannot be saved: the workspace is unavailable ({workspace_error()}).")
        return
    if st.session_state.pop(_CLEAR_NAME, False):
        st.session_state[_NAME] = ""  # before the widget exists, which is when Streamlit allows it
    with st.form("save_scenario", border=False):
        name = st.text_input("Scenario name", placeholder="e.g. R +20%, insurers 1.5×", key=_NAME)
        if st.form_submit_button("Save as scenario", icon=":material/bookmark_add:"):
            try:
                store.save_scenario(
                    name,
                    base_case=base.model_dump(mode="json"),
                    levers=levers.to_dict(),
                    case=variant.model_dump(mode="json"),
                    answer=answer.to_dict(),
                )
            except WorkspaceBusyError as error:
                st.error(f"Not saved: {error}. Your scenario name and levers are kept.")
            except (ScenarioExistsError, ValueError, WorkspaceError) as error:
                st.error(str(error))
            else:
                st.session_state[_CHOICE] = [*st.session_state.get(_CHOICE, []), name.strip()]
                st.session_state[_CLEAR_NAME] = True
                set_notice(f"Saved the scenario {name.strip()!r}.")
                st.rerun()


def _column(
    summary: dict[str, Any], currency: str, status: str, cost: float | None, requirement: float
) -> dict[str, str]:
    column = {
        "requirement R": short_money(requirement, currency),
        "annual cost": "infeasible" if cost is None else money(cost, currency),
        "status": status,
    }
    for instrument, amount in summary.get("allocations", {}).items():
        column[f"bought: {instrument}"] = short_money(amount, currency) if amount > 0 else "—"
    texts = summary.get("binding") or summary.get("diagnosis") or ["nothing binds"]
    column["what binds"] = "\n".join(f"• {text}" for text in texts)
    return column


def current_summary(answer: Solution) -> dict[str, Any]:
    """The current answer in the shape saved with a scenario."""
    return {
        "allocations": {item.id: item.amount for item in answer.allocations},
        "binding": [item.text for item in answer.binding],
        "diagnosis": [item.text for item in answer.diagnosis],
    }


def comparison_frame(scenarios: list[Scenario], answer: Solution | None) -> pd.DataFrame:
    """Scenarios side by side: one column each, rows for R, cost, status, the mix, what binds."""
    columns: dict[str, dict[str, str]] = {}
    if answer is not None:
        columns[CURRENT] = _column(
            current_summary(answer), answer.currency, str(answer.status), answer.total_cost, answer.requirement
        )
    for scenario in scenarios:
        columns[scenario.name] = _column(
            scenario.summary, scenario.currency, scenario.status, scenario.total_cost, scenario.requirement
        )
    frame = pd.DataFrame(columns)
    order = ["requirement R", "annual cost", "status"]
    bought = sorted(index for index in frame.index if str(index).startswith("bought: "))
    return frame.reindex([*order, *bought, "what binds"]).fillna("—")


def compare_section(answer: Solution | None) -> None:
    """Pick saved scenarios and see them beside the current answer; open or delete one."""
    store = workspace()
    if store is None:
        return
    try:
        saved = store.scenarios()
    except WorkspaceError as error:
        st.warning(f"Saved scenarios cannot be shown: {error}.")
        return
    if not saved:
        st.info("No scenarios saved yet. Move the levers, name the result and save it to compare it later.")
        return
    by_name = {scenario.name: scenario for scenario in saved}
    # The choice lives in session state (not a default) so a scenario saved or deleted just
    # now joins or leaves it.
    previous = st.session_state.get(_CHOICE)
    start = previous if previous is not None else list(by_name)[-3:]
    st.session_state[_CHOICE] = [name for name in start if name in by_name]
    chosen = st.multiselect(
        "Scenarios to compare",
        list(by_name),
        key=_CHOICE,
        help="Saved in the workspace: they are still here after the browser is closed.",
    )
    picked = [by_name[name] for name in chosen]
    st.dataframe(comparison_frame(picked, answer), width="stretch", row_height=None)
    if not picked:
        return
    target_name = st.selectbox("Scenario", [scenario.name for scenario in picked], key="scenario_action")
    target = by_name[target_name]
    open_column, delete_column = st.columns(2)
    if open_column.button("Open this scenario", icon=":material/open_in_new:", key="open_scenario"):
        replace_case(target.base_case, f"scenario {target.name}")
        set_levers(Levers.from_dict(target.levers))
        set_notice(f"Opened the scenario {target.name!r}: its case and levers are in place.")
        st.rerun()
    if delete_column.button("Delete this scenario", icon=":material/delete:", key="delete_scenario"):
        try:
            store.delete_scenario(target.id)
        except WorkspaceError as error:
            st.error(f"Not deleted: {error}.")
            return
        set_notice(f"Deleted the scenario {target.name!r}.")
        st.rerun()
