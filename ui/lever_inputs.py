"""The What-if page's sliders, each turned into a ``Levers`` value.

A slider left at the case's own value gives None ("as in the case"), so untouched levers
change nothing and a saved scenario records only what was moved.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import streamlit as st

from optimizer import Case
from optimizer.case.rulebook import Parameter, RulebookError, Unit, load_rulebook
from optimizer.case.schema import Cash
from optimizer.workbench.variants import NO_LIMIT, Levers, Target, premium_targets
from ui import format as fmt
from ui.i18n import language, t
from ui.messages import target_label
from ui.state import version
from ui.text import esc

_STEPS = [round(0.25 + 0.05 * step, 2) for step in range(36)]  # 25% .. 200% of R
_PERCENTS = list(range(0, 101, 5))


def _key(name: str) -> str:
    return f"whatif_{name}_{version()}_{st.session_state.get('whatif_reset', 0)}"


def reset_levers() -> None:
    """Put every slider back to the case's values (new widget keys)."""
    st.session_state["whatif_reset"] = st.session_state.get("whatif_reset", 0) + 1


def requirement_lever(case: Case, levers: Levers) -> Levers:
    """R as a share of the case's R, from 25% to 200%; for a regime, one of its assumptions."""
    base = case.requirement.amount
    if base is None:
        return assumption_lever(case, replace(levers, requirement=None))
    options = sorted({round(base * step, 2) for step in _STEPS} | {levers.requirement or base})
    chosen = st.select_slider(
        t("form.requirement"),
        options=options,
        value=levers.requirement or base,
        # Labels made here, not in a lambda: they follow the session's language and money style.
        format_func={amount: f"{fmt.short(amount, case.currency)} ({amount / base:.0%})" for amount in options}.get,
        key=_key("requirement"),
        help=t("levers.requirement_help"),
    )
    return replace(levers, requirement=None if chosen == base else chosen)


def cost_of_capital_lever(case: Case, levers: Levers) -> Levers:
    """The cost rate of cash (cost of capital net of yield), 0% to 20%."""
    rates = [item.cost_rate for item in case.instruments if isinstance(item, Cash)]
    if not rates:
        st.caption(t("levers.no_cash"))
        return replace(levers, cash_cost_rate=None)
    base = rates[0]
    current = levers.cash_cost_rate if levers.cash_cost_rate is not None else base
    chosen = st.slider(
        t("levers.cost_of_capital"),
        min_value=0.0,
        max_value=max(20.0, round(current * 100, 2)),
        value=round(current * 100, 2),
        step=0.25,
        format="%.2f%%",
        key=_key("cash_cost"),
        help=t("levers.cost_of_capital_help"),
    )
    rate = chosen / 100
    unchanged = abs(chosen - round(base * 100, 2)) < 1e-9 and all(value == base for value in rates)
    return replace(levers, cash_cost_rate=None if unchanged else rate)


def premium_lever(case: Case, levers: Levers) -> Levers:
    """A multiplier on the price of one kind of cover or one counterparty's quotes."""
    targets = premium_targets(case)
    if not targets:
        return levers
    target: Target = st.selectbox(
        t("levers.scale_of"),
        targets,
        format_func=partial(target_label, in_language=language()),
        key=_key("premium_target"),
        help=t("levers.scale_of_help"),
    )
    chosen = st.slider(
        t("levers.scale", target=esc(target_label(target))),
        min_value=0.25,
        max_value=3.0,
        value=float(levers.premium_scale.get(target, 1.0)),
        step=0.05,
        format="%.2f×",
        key=_key(f"premium_scale_{target.key()}"),
    )
    scales = {key: value for key, value in levers.premium_scale.items() if key != target}
    if chosen != 1.0:
        scales[target] = chosen
    active = [f"{esc(target_label(key))} ×{value:.2f}" for key, value in scales.items() if key != target]
    if active:
        st.caption(t("levers.also_scaled", targets=", ".join(active)))
    return replace(levers, premium_scale=scales)


def fraction_lever(label: str, base: float | None, current: float | None, name: str, help: str) -> float | None:
    """A policy limit as a percentage of R, with "none" at the right end; None if unchanged."""
    stops: list[float] = sorted({*_PERCENTS, *([round(base * 100, 4)] if base is not None else [])})
    options: list[object] = [*stops, "none"]
    start = base if current is None else (None if current == NO_LIMIT else current)
    value = "none" if start is None else round(start * 100, 4)
    chosen = st.select_slider(
        label,
        options=options,
        value=value if value in options else "none",
        format_func={option: t("levers.none") if option == "none" else f"{option:g}%" for option in options}.get,
        key=_key(name),
        help=help,
    )
    picked = None if chosen == "none" else float(chosen) / 100  # type: ignore[arg-type]
    if picked == base or (picked is None and base is None):
        return None
    return NO_LIMIT if picked is None else picked


def policy_levers(case: Case, levers: Levers) -> Levers:
    """The insurance cap and the cash floor."""
    cap = fraction_lever(
        t("levers.insurance_cap"),
        case.constraints.max_insurance_fraction,
        levers.max_insurance_fraction,
        "insurance_cap",
        t("levers.insurance_cap_help"),
    )
    floor = fraction_lever(
        t("levers.cash_floor"),
        case.constraints.min_cash_fraction,
        levers.min_cash_fraction,
        "cash_floor",
        t("form.cash_floor_help"),
    )
    return replace(levers, max_insurance_fraction=cap, min_cash_fraction=floor)


_MULTIPLES = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)


def assumption_options(parameter: Parameter, current: float) -> list[float]:
    """Slider stops for a regime assumption, never above 1 for a fraction.

    Multiples of the rulebook's value; 0 to 100% in 5% steps for a sizeable fraction.
    """
    base = parameter.value
    if parameter.unit is Unit.FRACTION and (base == 0 or base >= 0.1):
        stops = {step / 20 for step in range(21)}
    else:
        stops = {base * multiple for multiple in _MULTIPLES}
    if parameter.unit is Unit.FRACTION:
        stops = {value for value in stops if value <= 1}
    return sorted({round(value, 12) for value in stops} | {base, current})


def assumption_lever(case: Case, levers: Levers) -> Levers:
    """A slider on one of the regime's unconfirmed figures (its assumptions)."""
    regime = case.requirement.regime or ""
    try:
        book = load_rulebook(regime)
    except RulebookError as error:
        st.caption(t("levers.rulebook_error", regime=esc(regime), error=esc(error)))
        return levers
    overridable = book.overridable()
    if not overridable:
        st.caption(t("levers.all_confirmed", regime=esc(regime)))
        return levers
    names = list(overridable)
    name = st.selectbox(
        t("levers.assumption", regime=regime),
        names,
        key=_key("assumption_name"),
        help=t("levers.assumption_help"),
    )
    parameter = overridable[name]
    in_case = (case.requirement.assumptions or {}).get(name, parameter.value)
    current = levers.assumptions.get(name, in_case)
    fraction = parameter.unit is Unit.FRACTION
    stops = assumption_options(parameter, current)
    chosen = st.select_slider(
        f"{name} ({parameter.status.value})",
        options=stops,
        value=current,
        format_func={value: fmt.rate(value) if fraction else fmt.short(value, book.currency) for value in stops}.get,
        key=_key(f"assumption_{name}"),
        help=t("levers.parameter_help", section=parameter.section, note=parameter.note or "", source=parameter.source),
    )
    return levers.with_assumption(name, None if chosen == in_case else chosen)
