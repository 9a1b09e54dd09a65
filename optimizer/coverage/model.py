"""build_model: the coverage LP (model.md sections 1-3) as a PuLP problem with named rows.

Money is divided by R inside the model, so a ¥40tn exchange and a €150k CASP give matrices
of the same magnitude; because every row and the objective are scaled by the same factor,
row duals keep their meaning (annual cost per unit of money of requirement).

One ``add_*_constraints`` function per constraint family; every row has a readable name and a
``Row`` that says what it means in the case's words, so duals, binding constraints and
infeasibility reports can speak to the user.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import pulp

from optimizer.case.names import counterparty_groups, counterparty_key
from optimizer.case.schema import Case, Coverage, Insurance, Kind
from optimizer.case.terms import (
    AnyInstrument,
    is_insurance_like,
    unit_amount,
    unit_cost,
    unit_face,
    upper_bound,
)
from optimizer.coverage.decisions import add_decisions
from optimizer.coverage.ladder import ladder_events
from optimizer.coverage.rows import (
    DEMAND_FAMILIES,
    CoverageModel,
    Elastic,
    Family,
    Row,
    column_scale,
    row_unit,
    safe_name,
)
from optimizer.rules.basis import insurance_cap
from optimizer.rules.requirement import Basis

LADDER_UNIT_FLOOR = 1e-6
"""Smallest unit of a ladder row, as a fraction of R (see ``add_ladder_constraints``)."""


def build_model(case: Case, basis: Basis, elastic: Elastic | None = None) -> CoverageModel:
    """Build the coverage LP/MILP for ``case`` against requirement ``basis``.

    ``elastic`` builds the diagnostic copy instead (see ``Elastic``).
    """
    model = CoverageModel(
        case=case,
        basis=basis,
        scale=basis.amount,
        problem=pulp.LpProblem("reserve_opt", pulp.LpMinimize),
        decisions={},
        elastic=elastic,
    )
    add_constraints(model)
    finish_model(model)
    return model


def add_constraints(model: CoverageModel) -> None:
    """Decisions and every constraint family of one year's model (all but the objective).

    The transition plan (optimizer/plan) calls this once per year on models that share one
    problem, each with its own name prefix.
    """
    bounds_as_rows = model.elastic is not None
    add_decisions(model, bounds_as_rows)
    if model.case.coverage is Coverage.LADDER:
        add_ladder_constraints(model)
    else:
        add_face_constraints(model)
    add_min_cash_constraints(model)
    add_counterparty_constraints(model)
    add_insurance_cap_constraints(model)
    add_liquidity_constraints(model)
    add_mandatory_cover_constraints(model)
    if bounds_as_rows:
        add_capacity_constraints(model)


# --- requirement rows -----------------------------------------------------------------------


def add_ladder_constraints(model: CoverageModel) -> None:
    """For every breakpoint b: credited funds paying a single loss of size b must be >= b.

    Written with running totals Z, A, B (see optimizer/coverage/ladder.py): three equality rows per
    breakpoint carry the totals forward and one ladder row per breakpoint tests
    Z_k + b_k A_k - B_k >= b_k. Only the ladder rows are constraints a user reads about; the
    running-total rows are definitions (family LADDER_TOTAL).

    Each breakpoint's rows are held in their own unit u_k = max(b_k, 1e-6 R) of money (Z_k and
    B_k too), not in units of R: the solver's feasibility tolerance is then a fraction of the
    loss being tested, so a ¥3,000 retention against R = ¥40bn, or ¥5m of cash against
    R = ¥1e16, is not lost below it (issue #8, item 2). The floor keeps every coefficient
    (R / u_k at most 1e6) well inside HiGHS's matrix range. A_k is a slope (credit x share).
    """
    scale = model.scale
    events = ladder_events(model.case, model.basis.amount)
    by_id = {item.id: item for item in model.case.instruments}
    credit = model.basis.credit
    previous: tuple[pulp.LpVariable, ...] | None = None
    previous_unit = 1.0
    for k, loss in enumerate(events.losses):
        unit = max(loss, LADDER_UNIT_FLOOR * scale)
        totals = tuple(
            model.problem.add_variable(f"{model.prefix}ladder_{name}{k}", lowBound=0) for name in ("Z", "A", "B")
        )
        fixed_terms: list[tuple[pulp.LpVariable, float]] = []
        for item_id in events.fixed_from.get(k, []):
            if credit.get(item_id, 0.0) > 0:  # credited money, R per column unit, in units of u_k
                fixed_terms.append((model.decisions[item_id], -credit[item_id] * scale / unit))
        share_terms: list[tuple[pulp.LpVariable, float]] = []
        attach_terms: list[tuple[pulp.LpVariable, float]] = []
        for item_id, sign in [(i, 1.0) for i in events.partial_from.get(k, [])] + [
            (i, -1.0) for i in events.partial_until.get(k, [])
        ]:
            layer = by_id[item_id]
            assert isinstance(layer, Insurance)
            weight = credit.get(item_id, 0.0) * column_scale(layer, scale)  # credit x share per column unit
            if weight > 0:
                share_terms.append((model.decisions[item_id], -sign * weight))
                attach_terms.append((model.decisions[item_id], -sign * weight * layer.attachment / unit))
        # Z and B are carried in units of u_k: the previous total enters scaled by u_{k-1} / u_k.
        carried = (previous_unit / unit, 1.0, previous_unit / unit)
        for index, (name, terms) in enumerate((("Z", fixed_terms), ("A", share_terms), ("B", attach_terms))):
            chain = [(totals[index], 1.0), *terms]
            if previous is not None:
                chain.append((previous[index], -carried[index]))
            row_unit = scale if name == "A" else unit  # A is a slope; its rows are not money
            row = Row(f"ladder_total_{name}__{k}", Family.LADDER_TOTAL, rhs=0.0, rhs_per_requirement=0.0, unit=row_unit)
            _add_row(model, row, chain, "==")
        name = f"ladder__{loss:.0f}"
        if model.prefix + name in model.rows:  # two breakpoints within one unit of money (amounts in cents)
            name = f"{name}__{k}"
        row = Row(
            name,
            Family.LADDER,
            rhs=loss,
            rhs_per_requirement=1.0 if loss == model.basis.amount else 0.0,
            loss=loss,
            unit=unit,
        )
        _add_row(model, row, [(totals[0], 1.0), (totals[1], loss / unit), (totals[2], -1.0)], ">=")
        previous, previous_unit = totals, unit


def add_face_constraints(model: CoverageModel) -> None:
    """Face mode: cash plus the credited face of everything else must reach R."""
    terms = _terms(model, unit_face)
    row = Row("face__requirement", Family.FACE, rhs=model.basis.amount, rhs_per_requirement=1.0)
    _add_row(model, row, terms, ">=")


# --- policy rows ----------------------------------------------------------------------------


def add_min_cash_constraints(model: CoverageModel) -> None:
    """Cash held must be at least min_cash_fraction x R."""
    fraction = model.case.constraints.min_cash_fraction
    if fraction is None:
        return
    terms = [(model.decisions[item.id], 1.0) for item in model.case.instruments if item.kind is Kind.CASH]
    row = Row("min_cash__requirement", Family.MIN_CASH, rhs=fraction * model.basis.amount, rhs_per_requirement=fraction)
    _add_row(model, row, terms, ">=")


def add_counterparty_constraints(model: CoverageModel) -> None:
    """Credited face from each counterparty must be at most max_counterparty_fraction x R."""
    fraction = model.case.constraints.max_counterparty_fraction
    if fraction is None:
        return
    # One row per counterparty however its name is spelled (optimizer/case/names.py).
    groups = counterparty_groups(item.counterparty for item in model.case.instruments)
    # Each instrument's key once: keyed per row it cost O(counterparties x instruments)
    # normalisations, most of the build time at 1,000 instruments.
    members: dict[str | None, list[AnyInstrument]] = {}
    for item in model.case.instruments:
        members.setdefault(_party_key(item), []).append(item)
    for index, group in enumerate(sorted(groups, key=lambda group: group.key)):
        terms = _terms(model, unit_face, items=members.get(group.key, []))
        row = Row(
            f"counterparty_cap__{index}__{safe_name(group.name)}",
            Family.COUNTERPARTY_CAP,
            rhs=fraction * model.basis.amount,
            rhs_per_requirement=fraction,
            counterparty=group.name,
        )
        _add_row(model, row, terms, "<=")


def add_insurance_cap_constraints(model: CoverageModel) -> None:
    """Credited face of insurance and parametric cover must be at most the cap x R.

    The cap is the stricter of the case's max_insurance_fraction and the regime's own (for
    jp-fsa-draft, the share of the reserve insurance may replace): one row rather than two,
    so the dual prices the cap that actually binds and the row says where it comes from.
    """
    cap = insurance_cap(model.case, model.basis)
    if cap is None:
        return
    terms = _terms(model, unit_face, is_insurance_like)
    row = Row(
        "insurance_cap__requirement",
        Family.INSURANCE_CAP,
        rhs=cap.fraction * model.basis.amount,
        rhs_per_requirement=cap.fraction,
        note=cap.text if model.basis.insurance_cap is not None else None,  # say where only when it could be either
    )
    _add_row(model, row, terms, "<=")


def add_liquidity_constraints(model: CoverageModel) -> None:
    """Credited face payable within `days` must be at least min_fraction x R (cash is 0 days)."""
    liquidity = model.case.constraints.liquidity
    if liquidity is None:
        return
    terms = _terms(
        model,
        unit_face,
        lambda item: item.payout_days is not None and item.payout_days <= liquidity.days,
    )
    row = Row(
        f"liquidity__{liquidity.days}_days",
        Family.LIQUIDITY,
        rhs=liquidity.min_fraction * model.basis.amount,
        rhs_per_requirement=liquidity.min_fraction,
    )
    _add_row(model, row, terms, ">=")


def add_mandatory_cover_constraints(model: CoverageModel) -> None:
    """Credited face of each mandatory kind must reach the regime's amount (e.g. VARA crime cover).

    The instrument's own credit counts here, not the regime's factor for R: VARA does not
    count insurance towards paid-up capital, yet requires it on hot wallets (Part VI.D).
    """
    for index, cover in enumerate(model.basis.mandatory):
        terms = [
            (model.decisions[item.id], unit_face(item, item.credit) * column_scale(item, model.scale) / model.scale)
            for item in model.case.instruments
            if item.kind == cover.kind
        ]
        row = Row(
            f"mandatory_cover__{index}__{safe_name(cover.name)}",
            Family.MANDATORY_COVER,
            rhs=cover.amount,
            rhs_per_requirement=0.0,
            note=cover.text,
        )
        _add_row(model, row, terms, ">=")


def add_capacity_constraints(model: CoverageModel) -> None:
    """Each instrument's upper bound as a row (elastic copies only, so it can be relaxed)."""
    for index, item in enumerate(model.case.instruments):
        bound = upper_bound(item)
        if bound is None:
            continue
        money_per_unit = unit_amount(item)
        # In money: bought amount <= amount on offer; scaled by R like every row, so a slack
        # on it reads as money of extra capacity.
        row = Row(
            capacity_row_name(index, item.id),
            Family.CAPACITY,
            rhs=bound * money_per_unit,
            rhs_per_requirement=0.0,
            instrument=item.id,
        )
        coefficient = column_scale(item, model.scale) * money_per_unit / model.scale
        _add_row(model, row, [(model.decisions[item.id], coefficient)], "<=")


# --- objective and shared helpers -----------------------------------------------------------


def capacity_row_name(index: int, instrument_id: str) -> str:
    """Name of the row that holds an instrument's upper bound."""
    return f"capacity__{index}__{safe_name(instrument_id)}"


def finish_model(model: CoverageModel) -> None:
    """Set the objective: annual cost (in units of R), or total slack for an elastic copy."""
    if model.elastic is not None:
        model.problem.setObjective(pulp.lpSum(model.relaxations.values()))
        return
    model.problem.setObjective(cost_expression(model))


def cost_expression(model: CoverageModel) -> pulp.LpAffineExpression:
    """The annual cost of the model's decisions, in units of its scale (model.md section 1)."""
    return pulp.LpAffineExpression(
        [
            (model.decisions[item.id], unit_cost(item) * column_scale(item, model.scale) / model.scale)
            for item in model.case.instruments
        ]
    )


def _party_key(item: AnyInstrument) -> str | None:
    return None if item.counterparty is None else counterparty_key(item.counterparty)


def _always(item: AnyInstrument) -> bool:
    return True


def _terms(
    model: CoverageModel,
    per_unit: Callable[[AnyInstrument, float], float],
    include: Callable[[AnyInstrument], bool] = _always,
    items: Sequence[AnyInstrument] | None = None,
) -> list[tuple[pulp.LpVariable, float]]:
    """(variable, coefficient) pairs, scaled by R, for instruments passing ``include``.

    ``items`` narrows the instruments looked at (default: all of the case's), in case order.
    """
    terms = []
    for item in model.case.instruments if items is None else items:
        credit = model.basis.credit.get(item.id, 0.0)
        if credit == 0 or not include(item):
            continue
        coefficient = per_unit(item, credit) * column_scale(item, model.scale) / model.scale
        if coefficient != 0:
            terms.append((model.decisions[item.id], coefficient))
    return terms


def _add_row(model: CoverageModel, row: Row, terms: list[tuple[pulp.LpVariable, float]], sense: str) -> None:
    if model.prefix:
        row = replace(row, name=model.prefix + row.name)
    expression = pulp.LpAffineExpression(terms)
    unit = row_unit(model, row)
    rhs = row.rhs / unit
    slack = _slack_for(model, row)
    if slack is not None:  # a floor may fall short by the slack, a limit be exceeded by it
        # The slack is money / R whatever the row's unit, so one family's rows share it.
        ratio = model.scale / unit
        expression += ratio * slack if sense == ">=" else -ratio * slack
    if sense == ">=":
        constraint = expression >= rhs
    elif sense == "<=":
        constraint = expression <= rhs
    else:
        constraint = expression == rhs
    model.problem += (constraint, row.name)
    model.rows[row.name] = row


def _slack_for(model: CoverageModel, row: Row) -> pulp.LpVariable | None:
    elastic = model.elastic
    if elastic is None or row.family not in elastic.soft:
        return None
    if elastic.only_row is not None and elastic.only_row != row.name:
        return None
    key = str(row.family) if row.family in DEMAND_FAMILIES or elastic.shared else row.name
    if key not in model.relaxations:
        name = f"slack__{safe_name(key.removeprefix(model.prefix))}"
        model.relaxations[key] = model.problem.add_variable(model.prefix + name, lowBound=0)
    return model.relaxations[key]
