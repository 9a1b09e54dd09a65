"""The What-if page's sweep: optimal cost against one lever, the others held where they are."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import streamlit as st

from optimizer import Case, Kind
from optimizer.case.rulebook import RulebookError, Unit, load_rulebook
from optimizer.case.schema import Cash
from optimizer.workbench.sweep import Parameter, SweepPoint, default_values, refined_sweep
from optimizer.workbench.variants import Levers, Target, premium_targets
from ui import format as fmt
from ui.charts import money_unit, sweep_chart
from ui.i18n import t
from ui.messages import target_label
from ui.state import case_json, version
from ui.text import esc

_MEMO = "_sweeps"
_MEMO_SIZE = 16


@dataclass(frozen=True)
class Choice:
    """One lever to sweep, with how to show it."""

    parameter: Parameter
    label: str
    value_format: str
    """d3 format of the lever's values on the axis."""
    target: Target | str | None = None
    """The premium scale's target, or the regime assumption's name."""
    around: float = 0.0
    """The assumption's current value (sweeps run from 0 to twice it)."""
    fraction: bool = True


def choices(case: Case) -> list[Choice]:
    """Every lever this case can sweep: the policy levers, then each premium target and assumption."""
    options: list[Choice] = []
    if case.requirement.amount is not None:
        options.append(Choice(Parameter.REQUIREMENT, t("sweep.requirement"), ",.1f"))
    if any(item.kind == Kind.CASH for item in case.instruments):
        options.append(Choice(Parameter.CASH_COST_RATE, t("sweep.cash"), ".1%"))
    options.append(Choice(Parameter.MAX_INSURANCE_FRACTION, t("sweep.insurance_cap"), ".0%"))
    options.append(Choice(Parameter.MIN_CASH_FRACTION, t("sweep.cash_floor"), ".0%"))
    options += [
        Choice(Parameter.PREMIUM_SCALE, t("sweep.premium", target=target_label(target)), ".2f", target)
        for target in premium_targets(case)
    ]
    options += _assumption_choices(case)
    return options


def _assumption_choices(case: Case) -> list[Choice]:
    regime = case.requirement.regime
    if regime is None:
        return []
    try:
        book = load_rulebook(regime)
    except RulebookError:
        return []
    overrides = case.requirement.assumptions or {}
    result = []
    for name, parameter in book.overridable().items():
        fraction = parameter.unit is Unit.FRACTION
        result.append(
            Choice(Parameter.ASSUMPTION, f"{regime} {name}", ".1%" if fraction else ",.3s", name,
                   overrides.get(name, parameter.value), fraction)
        )
    return result


def _current(choice: Choice, case: Case, levers: Levers) -> float | None:
    parameter = choice.parameter
    if parameter is Parameter.REQUIREMENT:
        return levers.requirement or case.requirement.amount
    if parameter is Parameter.PREMIUM_SCALE and isinstance(choice.target, Target):
        return levers.premium_scale.get(choice.target, 1.0)
    if parameter is Parameter.ASSUMPTION and isinstance(choice.target, str):
        return levers.assumptions.get(choice.target, choice.around)
    if parameter is Parameter.CASH_COST_RATE:
        rates = [item.cost_rate for item in case.instruments if isinstance(item, Cash)]
        return levers.cash_cost_rate if levers.cash_cost_rate is not None else rates[0]
    value = getattr(levers, parameter.value)
    if value is not None:
        return float(value) if value >= 0 else None  # NO_LIMIT: no line to draw
    return getattr(case.constraints, parameter.value)  # type: ignore[no-any-return]


def _points(case: Case, levers: Levers, choice: Choice) -> list[SweepPoint]:
    # Memoised per session: a re-render with the same case, levers and lever does not re-sweep.
    key = f"{case_json(case.model_dump(mode='json'))}|{levers.to_dict()}|{choice}"
    memo: OrderedDict[str, list[SweepPoint]] = st.session_state.setdefault(_MEMO, OrderedDict())
    if key not in memo:
        values = default_values(case, choice.parameter, around=choice.around, fraction=choice.fraction)
        with st.spinner(t("sweep.running", lever=esc(choice.label))):
            memo[key] = refined_sweep(case, levers, choice.parameter, values, choice.target)
        while len(memo) > _MEMO_SIZE:
            memo.popitem(last=False)
    return memo[key]


def sweep_section(case: Case, levers: Levers) -> None:
    """Choose a lever; see the optimal cost across its range, with the other levers as set."""
    st.subheader(t("sweep.title"))
    # A sweep is a dozen or more optimisations, redone whenever a lever moves: drawn only when
    # asked for, so moving a slider re-solves one case, not twenty.
    if not st.toggle(t("sweep.show"), key="sweep_on", help=t("sweep.show_help")):
        return
    options = choices(case)
    choice = st.selectbox(
        t("sweep.choose"),
        options,
        format_func=lambda item: item.label,
        key=f"sweep_choice_{version()}",
        help=t("sweep.choose_help"),
    )
    points = _points(case, levers, choice)
    current = _current(choice, case, levers)
    label, scale = choice.label, 1.0
    value_format = choice.value_format
    if choice.parameter is Parameter.REQUIREMENT or not choice.fraction:
        # Money on the axis in a round unit named in its title (¥bn), never 9e+09 or 9.00G.
        scale, unit = money_unit(current or max(point.value for point in points), case.currency)
        label, value_format = f"{label} ({unit})", ",.1f"
    chart = sweep_chart(points, case.currency, label, value_format, current, value_scale=scale)
    st.altair_chart(chart, width="stretch")
    failed = [point for point in points if point.cost is None]
    st.caption(
        t("sweep.count", count=len(points))
    )
    if failed:
        listed = "\n".join(f"- {esc(shown(choice, case, point.value))}: {esc(point.note)}" for point in failed[:8])
        more = "\n- " + t("views.more", count=len(failed) - 8) if len(failed) > 8 else ""
        st.warning(t("sweep.failed", count=len(failed)) + f"\n\n{listed}{more}", icon=":material/block:")


def shown(choice: Choice, case: Case, value: float) -> str:
    """A value of the swept lever in the case's units: ¥9.0bn, 3.5%, ×1.25."""
    if choice.parameter is Parameter.REQUIREMENT:
        return fmt.short(value, case.currency)
    if choice.parameter is Parameter.PREMIUM_SCALE:
        return f"×{value:.2f}"
    if choice.parameter is Parameter.ASSUMPTION and not choice.fraction:
        return fmt.short(value, case.currency)
    return fmt.rate(value)
