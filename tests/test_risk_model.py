"""The simulation against closed forms, its invariants, and reproducibility (issue #9).

Statistical tolerance: 4 standard errors, each estimated from the same sample (sd / sqrt(S)).
A correct simulation fails such a check with probability about 6e-5 per check (normal
approximation, fine at S >= 400,000), while a wrong formula (a lost factor, a
shifted attachment) is off by many standard errors. The seeds are fixed, so a pass is repeatable.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.case.checks import check_case
from optimizer.case.schema import Case
from optimizer.risk.build import case_scenarios, loss_spec
from optimizer.risk.defaults import draw_defaults
from optimizer.risk.evaluate import evaluate_mix, pay_years
from optimizer.risk.figures import risk_report
from optimizer.risk.model import LossSpec, Severity
from optimizer.risk.payouts import instrument_terms, payout_matrix
from optimizer.risk.simulate import simulate

YEARS = 400_000
SIGMAS = 4.0


def spec(severity: Severity, per_year: float = 0.5, cap: float = math.inf) -> LossSpec:
    return LossSpec(per_year, severity, ("all",), np.ones(1), np.array([cap]))


def case_with(instruments: list[dict], scenarios: dict | None = None) -> Case:
    data = {
        "name": "t",
        "currency": "JPY",
        "requirement": {"amount": 1e9},  # R plays no part in these loss figures
        "exchange": {"client_crypto_hot": 1e12},
        "instruments": [{"id": "cash", "kind": "cash", "cost_rate": 0.05}, *instruments],
        "scenarios": scenarios or {"years": 1000},
    }
    return check_case(data)


def within(sample: np.ndarray, expected: float) -> tuple[bool, str]:
    error = sample.std(ddof=1) / math.sqrt(sample.size)
    gap = abs(sample.mean() - expected)
    return gap <= SIGMAS * error, f"mean {sample.mean():.6g} vs {expected:.6g}: {gap / error:.2f} standard errors"


def test_poisson_counts_mean_and_variance() -> None:
    lam = 0.5
    counts = simulate(spec(Severity("lognormal", median=1.0, sigma=1.0), lam), YEARS, 11).all_counts().astype(float)
    ok, words = within(counts, lam)
    assert ok, words
    # Sample variance: its standard error is sqrt((m4 - s^4) / S), m4 the 4th central moment.
    centred = counts - counts.mean()
    variance, m4 = (centred**2).mean(), (centred**4).mean()
    error = math.sqrt((m4 - variance**2) / YEARS)
    assert abs(variance - lam) <= SIGMAS * error, f"variance {variance} vs {lam}"


@pytest.mark.parametrize(
    "severity",
    [
        Severity("lognormal", median=2e9, sigma=1.8),
        Severity("lognormal", median=5e8, sigma=0.6),
        Severity("pareto", minimum=5e8, alpha=1.1),
        Severity("pareto", minimum=5e8, alpha=1.0),
        Severity("pareto", minimum=5e8, alpha=0.7),
    ],
    ids=["lognormal-wide", "lognormal-narrow", "pareto-1.1", "pareto-1.0", "pareto-0.7"],
)
@pytest.mark.parametrize("attachment,limit", [(1e9, 2e9), (3e9, 5e9), (0.0, 1e9)])
def test_layer_expected_loss_matches_lev(severity: Severity, attachment: float, limit: float) -> None:
    model = spec(severity)
    scenarios = simulate(model, YEARS, 7)
    case = case_with([{"id": "xl", "kind": "insurance", "counterparty": "I", "attachment": attachment,
                       "limit": limit, "premium_rate": 0.01}])  # fmt: skip
    per_year = np.zeros(YEARS)
    per_year[scenarios.year - 1] = payout_matrix(scenarios, case)[:, 1]
    # lambda (LEV(a + l) - LEV(a)): loss-and-pricing.md section 3.
    expected = model.per_year * (severity.lev(attachment + limit) - severity.lev(attachment))
    assert model.layer_expected_loss(attachment, limit) == pytest.approx(expected)
    ok, words = within(per_year, expected)
    assert ok, words


def test_capped_layer_and_vectors_match_lev() -> None:
    severity = Severity("lognormal", median=2e9, sigma=1.5)
    model = LossSpec(0.4, severity, ("hot", "vendor"), np.array([0.8, 0.2]), np.array([4e9, 2e10]))
    scenarios = simulate(model, YEARS, 5)
    assert scenarios.incident_loss.max() <= 2e10
    case = case_with([{"id": "xl", "kind": "insurance", "counterparty": "I", "attachment": 3e9,
                       "limit": 1e10, "premium_rate": 0.01}])  # fmt: skip
    per_year = np.zeros(YEARS)
    per_year[scenarios.year - 1] = payout_matrix(scenarios, case)[:, 1]
    ok, words = within(per_year, model.layer_expected_loss(3e9, 1e10))
    assert ok, words


def test_lev_closed_forms_against_numeric_integration() -> None:
    # LEV(d) = integral of the survival function from 0 to d.
    for severity, survival in [
        (
            Severity("lognormal", median=3.0, sigma=0.8),
            lambda x: 0.5 * math.erfc(math.log(x / 3.0) / (0.8 * math.sqrt(2))),
        ),
        (Severity("pareto", minimum=2.0, alpha=1.3), lambda x: min(1.0, (2.0 / x) ** 1.3)),
    ]:
        grid = np.linspace(1e-9, 25.0, 200_001)
        values = np.array([survival(x) for x in grid])
        integral = float(np.sum((values[1:] + values[:-1]) / 2 * np.diff(grid)))
        assert severity.lev(25.0) == pytest.approx(integral, rel=1e-6)


def test_same_seed_same_figures_other_seed_other_figures() -> None:
    case = case_with(
        [{"id": "xl", "kind": "insurance", "counterparty": "I", "attachment": 1e9, "limit": 5e9, "premium_rate": 0.02}],
        {"years": 50_000, "seed": 9, "frequency": {"per_year": 0.3},
         "severity": {"distribution": "pareto", "minimum": 5e8, "alpha": 1.2}, "default_probability": {"I": 0.1}},
    )  # fmt: skip
    mix = {"cash": 1e9, "xl": 2.5e9}

    def figures(seed: int | None = None) -> dict:
        scenarios, model = case_scenarios(case, None, seed=seed)
        return risk_report(case, scenarios, model, mix, with_stress=False).to_dict()

    first, again = figures(), figures()
    assert first == again
    assert figures(seed=10)["expected_loss"] != first["expected_loss"]


def test_chunks_do_not_change_the_first_years() -> None:
    model = spec(Severity("lognormal", median=1.0, sigma=1.0), 0.2)
    short, long = simulate(model, 1_000_000, 3), simulate(model, 1_200_000, 3)
    count = short.loss_years
    assert np.array_equal(short.year, long.year[:count])
    assert np.array_equal(short.incident_loss, long.incident_loss[: short.incidents])


@settings(max_examples=40, deadline=None)
@given(
    base=st.lists(st.floats(0, 3), min_size=4, max_size=4),
    extra=st.lists(st.floats(0, 2), min_size=4, max_size=4),
)
def test_adding_cover_never_raises_uncovered_loss(base: list[float], extra: list[float]) -> None:
    case = invariant_case()
    scenarios = simulate(loss_spec(case), 2000, 1)
    terms = instrument_terms(case)
    low = np.array(base[:1] + [0.0] + base[1:]) * np.array([1e9, 1, 0.25, 0.25, 1])[: len(terms.ids)]
    high = low + np.array(extra[:1] + [0.0] + extra[1:]) * np.array([1e9, 1, 0.25, 0.25, 1])[: len(terms.ids)]
    before = pay_years(scenarios, case, terms, low).uncovered
    after = pay_years(scenarios, case, terms, high).uncovered
    assert np.all(after <= before + 1e-6)


def invariant_case() -> Case:
    return case_with(
        [
            {"id": "lc", "kind": "guarantee", "counterparty": "Bank", "fee_rate": 0.01, "max_amount": 0},
            {"id": "xl", "kind": "insurance", "counterparty": "I", "attachment": 1e9, "limit": 4e9,
             "premium_rate": 0.02, "aggregate_limit": 5e9},
            {"id": "xl2", "kind": "insurance", "counterparty": "J", "attachment": 2e9, "limit": 8e9,
             "premium_rate": 0.01},
            {"id": "cat", "kind": "parametric", "counterparty": "D", "trigger": 3e9, "payout": 1e9, "premium": 1e7,
             "max_payouts_per_year": 2},
        ],
        {"years": 2000, "frequency": {"per_year": 1.5}, "severity": {"distribution": "lognormal", "median": 2e9,
                                                                      "sigma": 1.2}},
    )  # fmt: skip


def test_aggregate_limit_never_raises_a_payout() -> None:
    case = invariant_case()
    scenarios = simulate(loss_spec(case), 20_000, 2)
    limited = payout_matrix(scenarios, case)[:, 2]
    unlimited_case = case.model_copy(
        update={"instruments": tuple(i.model_copy(update={"aggregate_limit": None}) if i.id == "xl" else i
                                     for i in case.instruments)}
    )  # fmt: skip
    unlimited = payout_matrix(scenarios, unlimited_case)[:, 2]
    assert np.all(limited <= unlimited)
    assert np.all(limited <= 5e9)
    assert np.any(limited < unlimited)  # years with several incidents do hit the limit


def test_parametric_pays_at_most_max_payouts_per_year() -> None:
    case = invariant_case()
    scenarios = simulate(loss_spec(case), 20_000, 2)
    column = payout_matrix(scenarios, case)[:, 4]
    triggered = np.add.reduceat((scenarios.incident_loss >= 3e9).astype(float), scenarios.offsets[:-1])
    assert np.array_equal(column, 1e9 * np.minimum(triggered, 2))
    assert column.max() == 2e9


def test_defaulted_counterparty_pays_zero_that_year() -> None:
    case = invariant_case()
    scenarios = simulate(loss_spec(case), 20_000, 4)
    defaults = draw_defaults(scenarios, {"i": 0.3, "d": 0.5}, seed=4)  # any spelling of the name
    plain, drawn = payout_matrix(scenarios, case), payout_matrix(scenarios, case, defaults)
    assert np.all(drawn[defaults["i"], 2] == 0) and np.all(drawn[defaults["d"], 4] == 0)
    assert np.array_equal(drawn[~defaults["i"], 2], plain[~defaults["i"], 2])
    assert np.array_equal(drawn[:, 3], plain[:, 3])  # another insurer is untouched
    assert 0.28 < defaults["i"].mean() < 0.32  # 0.3 +- 4 standard errors (sqrt(0.21 / n), n ~ 15,000)
    x = np.array([1e9, 0, 1, 1, 1])
    with_defaults = evaluate_mix(scenarios, case, instrument_terms(case), x, defaults).uncovered
    without = evaluate_mix(scenarios, case, instrument_terms(case), x).uncovered
    assert np.all(with_defaults >= without - 1e-6)


def test_incidents_severity_resamples_the_table_at_the_usd_rate() -> None:
    case = case_with([], {"years": 1000, "severity": {"distribution": "incidents"}, "frequency": {"per_year": 2.0}})
    model = loss_spec(case)
    assert model.severity.sample.size == 37
    assert set(np.round(model.severity.sample / 157.26)) >= {534_000_000.0, 306_500_000.0}  # Coincheck, DMM mid
    scenarios = simulate(model, 1000, 3)
    assert set(scenarios.incident_loss) <= set(np.minimum(model.severity.sample, 1e12))


def test_default_cap_is_hot_plus_cold_and_vectors_cap_by_their_pools() -> None:
    plain = loss_spec(case_with([], {"years": 10}))
    assert plain.caps.tolist() == [1e12]  # client_crypto_hot only is given
    routed = loss_spec(
        check_case(
            {
                "name": "t", "currency": "JPY", "requirement": {"amount": 1e9},
                "exchange": {"client_crypto_hot": 4e10, "client_crypto_cold": 7.6e11},
                "instruments": [{"id": "cash", "kind": "cash", "cost_rate": 0.05}],
                "scenarios": {"cap": 5e11, "vectors": [
                    {"name": "hot", "share": 0.75, "exposes": ["client_crypto_hot"]},
                    {"name": "vendor", "share": 0.25, "exposes": ["client_crypto_hot", "client_crypto_cold"]},
                ]},
            }
        )
    )  # fmt: skip
    assert routed.caps.tolist() == [4e10, 5e11]  # the vendor route is cut by the case's cap
    assert routed.shares.tolist() == [0.75, 0.25]
