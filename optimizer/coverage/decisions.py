"""add_decisions: the coverage LP's columns (model.md section 1), and the integer parts of a MILP.

Every decision is money bought divided by R (``column_scale``), so coefficients stay near 1
whatever the case's magnitudes; integer terms (whole units, minimum lines, all-or-nothing
layers, model.md section 3) get their own integer columns tied to the money column.
"""

from __future__ import annotations

import pulp

from optimizer.case.schema import Insurance, Parametric
from optimizer.case.terms import upper_bound
from optimizer.coverage.rows import CoverageModel, Family, Row, column_scale, is_fine_unit, safe_name


def add_decisions(model: CoverageModel, bounds_as_rows: bool) -> None:
    """One column per instrument (money bought / R), plus the integer parts of a MILP.

    Those are 0/1 switches for minimum lines and whole layers, and a count of units for
    parametric cover sold in whole units.
    """
    relax = model.elastic is not None
    for index, item in enumerate(model.case.instruments):
        bound = upper_bound(item)
        high = None
        if bound is not None and not bounds_as_rows:
            high = bound / column_scale(item, model.scale)
        var = model.problem.add_variable(f"{model.prefix}x{index}__{safe_name(item.id)}", lowBound=0, upBound=high)
        model.decisions[item.id] = var
        if isinstance(item, Parametric) and item.integer_units and not relax:
            if is_fine_unit(item, model.scale):
                model.rounded_units.append(item.id)
            else:
                _add_whole_units(model, index, item, var)
        if isinstance(item, Insurance) and (item.min_share or item.all_or_nothing) and not relax:
            _add_line_switch(model, index, item, var)


def _add_whole_units(model: CoverageModel, index: int, item: Parametric, money: pulp.LpVariable) -> None:
    # An integer column cannot be rescaled (u / c is not whole), so the count u stays in units
    # and one row ties it to the money column: (R / payout) x - u = 0. Its coefficients are
    # R / payout and 1, never payout / R, which HiGHS would drop below 1e-9 (issue #8, item 1).
    units = model.problem.add_variable(
        f"{model.prefix}u{index}__{safe_name(item.id)}", lowBound=0, upBound=item.max_units, cat=pulp.LpInteger
    )
    name = f"{model.prefix}whole_units__{index}__{safe_name(item.id)}"
    row = Row(name, Family.WHOLE_UNITS, rhs=0.0, rhs_per_requirement=0.0)
    model.problem += (pulp.LpAffineExpression([(money, column_scale(item, model.scale)), (units, -1.0)]) == 0, row.name)
    model.rows[row.name] = row
    model.whole_units[item.id] = units
    model.is_mip = True


def _add_line_switch(model: CoverageModel, index: int, item: Insurance, money: pulp.LpVariable) -> None:
    # s <= max_share * y and s >= floor * y: either no line, or a line of at least `floor`.
    # Written on the share s = c x (c = R / limit), each row divided by c so the money column
    # keeps coefficient 1 and the switch gets share / c (a fraction of R, not a tiny number
    # unless the whole layer is).
    switch = model.problem.add_variable(f"{model.prefix}y{index}__{safe_name(item.id)}", 0, 1, cat=pulp.LpBinary)
    floor = item.max_share if item.all_or_nothing else (item.min_share or 0.0)
    per_share = 1.0 / column_scale(item, model.scale)
    name = f"{model.prefix}line__{index}"
    model.problem += (money - item.max_share * per_share * switch <= 0, f"{name}__upper")
    model.problem += (money - floor * per_share * switch >= 0, f"{name}__lower")
    model.switches[item.id] = switch
    model.is_mip = True
