"""The Case page's form.

The exchange profile, the requirement, the coverage test and the policy limits are each
written back into the raw case data. The exchange-profile inputs are made from the
``Exchange`` model's fields, so a field added to the case format (for a new regime) appears
here with its documentation as help.
"""

from __future__ import annotations

import types
import typing
from enum import Enum
from typing import Any

import streamlit as st

from optimizer import CaseError, Coverage, check_case
from optimizer.case.schema import Exchange
from optimizer.rules.requirement import requirement_basis
from ui.i18n import t
from ui.inputs import money_input, percent_input, set_or_drop
from ui.regime_form import regime_inputs, regimes_for
from ui.state import version

_LAST_REGIME = "_last_regime_requirement"


def _label(name: str) -> str:
    return t(f"exchange.{name}")


def _plain_type(annotation: Any) -> Any:
    """The type inside ``X | None`` and ``Annotated[X, ...]``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _plain_type(options[0]) if len(options) == 1 else str
    if typing.get_origin(annotation) is typing.Annotated:
        return _plain_type(typing.get_args(annotation)[0])
    return annotation


def exchange_inputs(data: dict[str, Any]) -> None:
    """Inputs for every field of the exchange profile (all optional)."""
    exchange = dict(data.get("exchange") or {})
    currency = str(data.get("currency") or "")
    # Open when a regime rulebook reads the profile; folded away when R is given directly.
    by_regime = (data.get("requirement") or {}).get("regime") is not None
    with st.expander(t("form.profile"), expanded=by_regime):
        _profile_inputs(exchange, currency)
    data["exchange"] = exchange


def _profile_inputs(exchange: dict[str, Any], currency: str) -> None:
    columns = st.columns(2)
    for position, (name, info) in enumerate(Exchange.model_fields.items()):
        kind = _plain_type(info.annotation)
        key = f"exchange_{name}_{version()}"
        value = exchange.get(name)
        with columns[position % 2]:
            if isinstance(kind, type) and issubclass(kind, Enum):
                options: list[Any] = [None, *(member.value for member in kind)]
                labels = {option: t("form.not_given") if option is None else str(option) for option in options}
                chosen = st.selectbox(
                    _label(name), options, index=options.index(value) if value in options else 0,
                    format_func=labels.get,
                    key=key, help=info.description,
                )
            elif kind is bool:
                options = [None, True, False]
                chosen = st.selectbox(
                    _label(name), options, index=options.index(value) if value in options else 0,
                    format_func={None: t("form.not_given"), True: t("form.yes"), False: t("form.no")}.__getitem__,
                    key=key, help=info.description,
                )
            elif kind is int:
                chosen = st.number_input(
                    _label(name), value=value, step=1, min_value=0, key=key, placeholder=t("form.not_given"),
                    help=info.description,
                )
            else:
                chosen = money_input(_label(name), value, key, currency, optional=True, help=info.description)
        set_or_drop(exchange, name, chosen)


def requirement_inputs(data: dict[str, Any]) -> None:
    """R given directly or by a regime rulebook (with its assumptions), and the coverage test."""
    requirement = dict(data.get("requirement") or {})
    currency = str(data.get("currency") or "")
    regimes = regimes_for(currency)
    by_regime = requirement.get("regime") is not None
    mode = st.radio(
        t("form.r_is"),
        ["amount", "regime"],
        index=1 if by_regime else 0,
        format_func={option: t(f"form.r_{option}") for option in ("amount", "regime")}.__getitem__,
        horizontal=True,
        key=f"requirement_mode_{version()}",
        disabled=not regimes and not by_regime,
        help=t("form.r_is_help"),
    )
    if not regimes:
        st.caption(t("form.no_rulebooks"))
    if mode == "regime" and regimes:
        # Back from a direct amount: start from the rulebook (and assumptions) used before.
        start = requirement if by_regime else st.session_state.get(_LAST_REGIME, {})
        requirement = regime_inputs(data, regimes, start)
        st.session_state[_LAST_REGIME] = requirement
    else:
        amount = requirement.get("amount") or _computed_amount(data)
        typed = money_input(
            t("form.requirement"), amount, f"requirement_amount_{version()}", currency,
            help=t("form.requirement_help"),
        )
        requirement = {"amount": typed}
    data["requirement"] = requirement
    coverage = data.get("coverage", Coverage.LADDER.value)
    data["coverage"] = st.radio(
        t("form.coverage"),
        [item.value for item in Coverage],
        index=[item.value for item in Coverage].index(coverage) if coverage in set(Coverage) else 0,
        format_func={item.value: t(f"form.coverage_{item.value}") for item in Coverage}.__getitem__,
        key=f"coverage_{version()}",
        help="Ladder is the economically honest test (a layer attaching above a loss does not pay it); "
        "face is the regulator's checklist sum.",
    )


def _computed_amount(data: dict[str, Any]) -> float | None:
    """R as the case's regime computes it, to start from when switching to a direct amount."""
    try:
        return requirement_basis(check_case(data)).amount
    except (CaseError, ValueError, LookupError):
        return None


def policy_inputs(data: dict[str, Any]) -> None:
    """The exchange's own policy limits, as percentages of R (empty means no limit)."""
    constraints = dict(data.get("constraints") or {})
    with st.expander(t("form.policy"), expanded=True):
        left, right = st.columns(2)
        with left:
            set_or_drop(constraints, "min_cash_fraction", percent_input(
                t("form.cash_floor"), constraints.get("min_cash_fraction"), f"min_cash_{version()}",
                help=t("form.cash_floor_help"), placeholder=t("form.no_floor")))
            set_or_drop(constraints, "max_insurance_fraction", percent_input(
                t("form.insurance_cap"), constraints.get("max_insurance_fraction"), f"max_insurance_{version()}",
                help=t("form.insurance_cap_help"), placeholder=t("form.no_limit")))
        with right:
            set_or_drop(constraints, "max_counterparty_fraction", percent_input(
                t("form.party_cap"), constraints.get("max_counterparty_fraction"), f"max_party_{version()}",
                help=t("form.party_cap_help"), placeholder=t("form.no_limit")))
        liquidity = dict(constraints.get("liquidity") or {})
        days_column, share_column = st.columns(2)
        days = days_column.number_input(
            t("form.liquidity_days"), value=liquidity.get("days"), min_value=0, step=1,
            key=f"liquidity_days_{version()}", placeholder=t("form.no_liquidity"),
            help=t("form.liquidity_days_help"),
        )
        with share_column:
            share = percent_input(
                t("form.liquidity_share"), liquidity.get("min_fraction"), f"liquidity_share_{version()}",
                placeholder=t("form.no_liquidity"),
            )
        if days is None and share is None:
            constraints.pop("liquidity", None)
        else:
            set_or_drop(liquidity, "days", days)
            set_or_drop(liquidity, "min_fraction", share)
            constraints["liquidity"] = liquidity
    data["constraints"] = constraints
