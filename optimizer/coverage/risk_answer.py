"""Risk limits in the answer: the setup from the case, the independent check, prices, diagnosis.

``risk_setup`` reads the case's limits and years (simulated or tabled) into what the LP needs;
``measure_mix`` recomputes a mix's measures over all S years by sorting, sharing nothing with
the LP's reduced rows or cuts (``optimizer.risk.tail.uncovered_by_year`` and
``SortedLosses``); ``risk_results`` says in plain words what each limit costs at the margin
(the dual of its row); ``diagnose_risk`` explains limits no mix can meet, with the least
reachable value of the measure (the measure minimised subject to every other row).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from optimizer.case.money import money, percent, short_money
from optimizer.case.scenarios_schema import RiskLimits
from optimizer.case.schema import Case
from optimizer.case.terms import unit_amount
from optimizer.coverage.certify import Counts, PricedRule
from optimizer.coverage.collect import describe_capacity, describe_row
from optimizer.coverage.risk_limits import LIMIT_FIELD, LoopResult, Measure, RiskData, RiskLP, allowed
from optimizer.coverage.rows import DEMAND_FAMILIES, LIMIT_FAMILIES, CoverageModel, Family
from optimizer.coverage.solution import Fix, RiskLimitResult, Shortfall
from optimizer.coverage.solve import Outcome, SolverName
from optimizer.risk.build import case_scenarios
from optimizer.risk.defaults import BoolArray
from optimizer.risk.figures import LIMIT_RTOL
from optimizer.risk.measures import SortedLosses
from optimizer.risk.scenarios import FloatArray, Scenarios
from optimizer.risk.tail import case_defaults, tail_years, uncovered_by_year, year_table


@dataclass(frozen=True, eq=False)
class RiskSetup:
    """The case's risk limits and the years they are measured over."""

    scenarios: Scenarios
    defaults: dict[str, BoolArray]
    data: RiskData
    limits: dict[Measure, float | None]


def case_limits(case: Case) -> dict[Measure, float | None]:
    """Each measure's limit in the case (None: no limit)."""
    risk = case.risk if case.risk is not None else RiskLimits()
    return {Measure.CVAR: risk.max_cvar, Measure.EXPECTED: risk.max_expected_uncovered}


def has_risk_limits(case: Case) -> bool:
    """Whether the case sets a risk limit the optimum must hold."""
    return any(limit is not None for limit in case_limits(case).values())


def risk_setup(
    case: Case, scenarios: Scenarios | None = None, base_dir: Path | None = None, source: str = "the case"
) -> RiskSetup:
    """The years (the given ones, else the case's: simulated or read) reduced for the LP."""
    if scenarios is None:
        scenarios, _ = case_scenarios(case, base_dir, source=source)
    defaults = case_defaults(case, scenarios)
    level = case.risk.level if case.risk is not None else RiskLimits().level
    data = RiskData(year_table(case, scenarios, defaults), level, tail_years(level, scenarios.years))
    return RiskSetup(scenarios, defaults, data, case_limits(case))


def decision_vector(case: Case, decisions: Mapping[str, float]) -> FloatArray:
    """(K,) decisions in case order, in each instrument's own unit."""
    return np.array([decisions.get(item.id, 0.0) for item in case.instruments], dtype=np.float64)


def measure_mix(
    case: Case, setup: RiskSetup, decisions: Mapping[str, float], matrix: FloatArray | None = None
) -> dict[Measure, float]:
    """CVaR at the case's level and the expected uncovered loss of a mix, over all S years, by sorting.

    ``matrix``: the payout matrix of every loss year (``payout_matrix``, unmerged), when the
    caller checks many mixes; otherwise it is rebuilt in blocks from the incidents.
    """
    x = decision_vector(case, decisions)
    if matrix is None:
        uncovered = uncovered_by_year(case, setup.scenarios, x, setup.defaults)
    else:
        uncovered = np.maximum(setup.scenarios.annual_loss - matrix @ x, 0.0)
    ordered = SortedLosses(uncovered, setup.scenarios.years)
    _, cvar = ordered.var_cvar(setup.data.level)
    return {Measure.CVAR: cvar, Measure.EXPECTED: ordered.mean()}


def verify_risk_limits(
    setup: RiskSetup, limits: Mapping[Measure, float | None], values: Mapping[Measure, float], scale: float
) -> list[str]:
    """Every risk limit the measured values break by more than 1e-9 relative, in words."""
    problems = []
    for measure, limit in limits.items():
        if limit is not None and values[measure] > allowed(limit, scale):
            problems.append(
                f"{LIMIT_FIELD[measure]}: the mix's {measure} over all {setup.scenarios.years:,} years is "
                f"{values[measure]:,.2f}, above the limit {limit:,.2f} (tolerance {LIMIT_RTOL:g} relative)"
            )
    return problems


def measure_words(measure: Measure, level: float) -> str:
    """What a measure is, in words."""
    if measure is Measure.EXPECTED:
        return "expected uncovered annual loss"
    period = 1.0 / (1.0 - level)
    if abs(period - round(period)) < 1e-6 * period:
        return f"1-in-{round(period):,}-year CVaR ({percent(level)}) of the uncovered annual loss"
    return f"CVaR {percent(level)} of the uncovered annual loss"


def limit_words(measure: Measure, level: float, limit: float, currency: str) -> str:
    """A limit row in words (``describe_row`` of a RISK_LIMIT row)."""
    most = short_money(limit, currency)
    return f"the {measure_words(measure, level)} must be at most {most} (risk.{LIMIT_FIELD[measure]})"


def _step(limit: float) -> float:
    """A round amount to speak of moving a limit by: about a tenth to a hundredth of it."""
    return 10.0 ** (math.floor(math.log10(limit)) - 1) if limit > 0 else 1.0


def price_words(measure: Measure, level: float, price: float, limit: float, currency: str) -> str:
    """The price of a binding limit: "lowering the ... by ¥1.0bn costs ¥38.0m a year more"."""
    step = _step(limit)
    return (
        f"lowering the {measure_words(measure, level)} by {short_money(step, currency)} costs about "
        f"{short_money(price * step, currency)} a year more (at the margin: {price:.4g} a year per unit of money)"
    )


def risk_results(
    case: Case,
    setup: RiskSetup,
    values: Mapping[Measure, float],
    regulatory: Mapping[Measure, float],
    prices: Mapping[Measure, float],
    is_mip: bool,
) -> tuple[RiskLimitResult, ...]:
    """One result per limit of the case: its value, whether it binds, its price in words."""
    level, currency = setup.data.level, case.currency
    results = []
    for measure, limit in setup.limits.items():
        if limit is None:
            continue
        needed = regulatory[measure] > allowed(limit, 1.0)
        binding = needed and values[measure] >= limit * (1 - 1e-6)
        price = max(prices.get(measure, 0.0), 0.0) if binding else None
        reached = short_money(values[measure], currency)
        text = f"{limit_words(measure, level, limit, currency)}: the mix reaches {reached}"
        if not needed:
            text += "; the limit does not bind (the cheapest mix without risk limits already meets it)"
        elif not binding:
            text += "; the limit has room (the other risk limit asks for more cover)"
        elif price is not None:
            text += "; " + price_words(measure, level, price, limit, currency)
            if is_mip:
                text += " (from the LP with the whole-unit and minimum-line choices fixed)"
        results.append(
            RiskLimitResult(
                name=LIMIT_FIELD[measure],
                measure=measure_words(measure, level),
                limit=limit,
                value=values[measure],
                regulatory_only_value=regulatory[measure],
                binding=binding,
                price=price,
                text=text,
            )
        )
    return tuple(results)


def diagnose_risk(case: Case, setup: RiskSetup, lp: RiskLP) -> tuple[tuple[Shortfall, ...], tuple[Fix, ...]]:
    """Why no mix meets the risk limits: the least reachable value of each limit that fails.

    Each limit is checked with every other row and the other limit held (and, if that other
    limit alone cannot be met either, without it); the reason is the limits that stop the
    measure going lower: rows and capacities that bind in the minimisation.
    """
    currency, level = case.currency, setup.data.level
    shortfalls, fixes = [], []
    for measure, limit in setup.limits.items():
        if limit is None:
            continue
        others = {m: (v if m is not measure else None) for m, v in setup.limits.items()}
        least = lp.minimise(measure, others)
        held = " and the other risk limit"
        if least.outcome is Outcome.INFEASIBLE:
            others = {m: None for m in Measure}
            least, held = lp.minimise(measure, others), ""
        if least.outcome is not Outcome.OPTIMAL or least.objective <= allowed(limit, lp.model.scale):
            continue
        reachable = least.values[measure]
        because = _reasons(lp)
        words = (
            f"no mix keeps the {measure_words(measure, level)} under {short_money(limit, currency)}"
            f" with the requirement, every policy constraint{held}: the least reachable is "
            f"{short_money(reachable, currency)}"
        )
        if because:
            listed = because[0] if len(because) == 1 else f"{', '.join(because[:-1])} and {because[-1]}"
            words += f", because {listed}"
        shortfalls.append(Shortfall(f"risk.{LIMIT_FIELD[measure]}", reachable - limit, words, tuple(because)))
        fix = _limit_fix(lp, measure, limit, reachable, others, currency)
        if fix is not None:
            fixes.append(fix)
    return tuple(shortfalls), tuple(sorted(fixes, key=lambda fix: fix.total_cost))


def _reasons(lp: RiskLP) -> list[str]:
    """Rows and capacities that stop the measure going lower (the LP after ``minimise``)."""
    model = lp.model
    currency = model.case.currency
    found = []
    families = LIMIT_FAMILIES | DEMAND_FAMILIES | {Family.RISK_LIMIT}
    for name, row in model.rows.items():
        constraint = model.problem.get_constraint_by_name(name)
        if row.family not in families or constraint is None:
            continue
        tight = abs(constraint.slack or 0.0) <= 1e-7
        if tight and (model.is_mip or abs(constraint.pi or 0.0) > 1e-9):
            found.append(describe_row(model.case, row, currency))
    for item in model.case.instruments:
        var = model.decisions[item.id]
        bound = var.upBound
        if bound is None or bound <= 0 or (var.varValue or 0.0) < bound * (1 - 1e-9):
            continue
        if model.is_mip or abs(var.dj or 0.0) > 1e-9:
            found.append(describe_capacity(item, currency))
    return found


def _limit_fix(
    lp: RiskLP, measure: Measure, limit: float, reachable: float, others: dict[Measure, float | None], currency: str
) -> Fix | None:
    # The least loosening, rounded up to a figure a board would write (4 significant digits),
    # forgiving the LP's last digits; one step more if that is still out of reach.
    step = 10.0 ** (math.floor(math.log10(reachable)) - 3) if reachable > 0 else 1.0
    proposed = math.ceil(reachable * (1 - 1e-9) / step) * step
    result: LoopResult = lp.minimise_cost({**others, measure: proposed})
    if result.outcome is Outcome.INFEASIBLE:
        proposed += step
        result = lp.minimise_cost({**others, measure: proposed})
    if result.outcome is not Outcome.OPTIMAL:
        return None
    field = f"risk.{LIMIT_FIELD[measure]}"
    before, after = short_money(limit, currency), short_money(proposed, currency)
    if before == after:  # "¥12.0bn to ¥12.0bn" says nothing: write the amounts out
        before, after = money(limit, currency), money(proposed, currency)
    words = f"raise {field} from {before} to {after}"
    return Fix(change=words, field=field, current=limit, proposed=proposed, total_cost=result.objective)


@dataclass(frozen=True, eq=False)
class RiskRun:
    """The risk stage of one optimisation: the live LP, the answer, and the regulatory optimum."""

    lp: RiskLP
    result: LoopResult
    regulatory_cost: float
    regulatory_values: dict[Measure, float]
    seconds: float
    limits: dict[Measure, float | None]
    """The limits the answer holds."""

    def summary(self) -> dict[str, float | int]:
        """How the exact solve went, for the answer's ``risk_solve``."""
        table = self.lp.data.table
        return {
            "years": table.years,
            "loss_years": table.loss_years,
            "distinct_rows": table.rows,
            "tail_years": float(self.lp.data.tail),
            "rounds": self.result.rounds,
            "cuts": sum(self.lp.cut_count(m) for m in Measure),
            "seconds": self.seconds,
        }


def enforce_risk_limits(model: CoverageModel, setup: RiskSetup, solver: SolverName) -> RiskRun:
    """Add the risk rows to a solved model and re-solve it until the limits hold (risk_limits.py)."""
    started = time.perf_counter()
    level, currency = setup.data.level, model.case.currency
    words = {m: limit_words(m, level, limit, currency) for m, limit in setup.limits.items() if limit is not None}
    lp = RiskLP(model, setup.data, solver, words=words)
    free = lp.minimise_cost({})  # the regulatory optimum, measured (no cut rows yet)
    regulatory = {m: lp.measure_cut(m, free.x).value for m in Measure}
    result = lp.minimise_cost(setup.limits)
    return RiskRun(lp, result, free.objective, regulatory, time.perf_counter() - started, dict(setup.limits))


def risk_priced_rules(
    lp: RiskLP, limits: Mapping[Measure, float | None], duals: Mapping[str, float]
) -> tuple[PricedRule, ...]:
    """The risk cuts as priced rules for verify_solution's lower bound on the cost.

    A cut says measure(y) >= g0 - g . y for every mix y, and the limit measure(y) <= K; so
    every mix meeting the limit has g . y >= g0 - K, a valid rule whatever the LP did. Its
    price is the cut row's dual; g and g0 are the cut as computed from the years (not read
    back from the LP's matrix), per unit of money bought.
    """
    case = lp.model.case
    money = {item.id: unit_amount(item) for item in case.instruments}
    rules = []
    for measure, limit in limits.items():
        if limit is None:
            continue
        for name, cut in lp.cuts_of(measure):
            price = duals.get(name, 0.0)
            if price <= 0.0:
                continue
            weights = {item.id: float(cut.slope[k]) / money[item.id] for k, item in enumerate(case.instruments)}
            members = frozenset(item_id for item_id, weight in weights.items() if weight != 0.0)
            rules.append(PricedRule(price, True, cut.constant - limit, members, Counts.GIVEN, weights=weights))
    return tuple(rules)
