"""A product across a market (issue #11, items 3-5): markets, sweeps, dask, the price command."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest

from optimizer import Status, check_case, optimize, requirement_basis
from optimizer.cli import main
from optimizer.pricing.market import MARKETS_DIR, Market, MarketError, cases_from_profiles, load_market
from optimizer.pricing.product import ProductError, load_product, product_from_data
from optimizer.pricing.report import assemble, price_grid, sweep_market, tasks_for, to_dict
from optimizer.pricing.sweep import price_exchange

PRODUCT = MARKETS_DIR / "products" / "jp-excess-25xs50.yaml"
PRICES = price_grid(0.005, 0.08, 0.005)


@pytest.fixture(scope="module")
def jp28() -> Market:
    return load_market("jp-28")


def test_the_japanese_market_meets_the_public_aggregates(jp28):
    # NRI on the FSA working-group report (10 Dec 2025): 28 registered operators, > JPY 5tn of
    # user deposits, > 13m accounts (data/markets/README.md).
    assert len(jp28.cases) == 28
    rows = list(csv.DictReader((MARKETS_DIR / "jp-28" / "profiles.csv").open(encoding="utf-8")))
    deposits = sum(
        float(r["client_crypto_hot"]) + float(r["client_crypto_cold"]) + float(r["client_fiat"]) for r in rows
    )
    assert deposits > 5e12 and sum(int(r["accounts"]) for r in rows) > 13e6
    assert all(case.requirement.regime == "jp-fsa-draft" for case in jp28.cases)
    # Every exchange is a feasible case with its own tower.
    towers = {tuple(i.premium_rate for i in case.instruments if i.kind == "insurance") for case in jp28.cases}
    assert len(towers) == 28
    assert all(optimize(case).status is Status.OPTIMAL for case in jp28.cases)


def test_a_csv_of_profiles_is_a_market_with_the_standard_tower():
    text = (MARKETS_DIR / "jp-28" / "profiles.csv").read_text(encoding="utf-8")
    cases = cases_from_profiles(text)
    assert len(cases) == 28
    first = cases[0]
    r = requirement_basis(first).amount
    layer = first.instrument("xl-1")
    assert layer.attachment == pytest.approx(0.10 * r, abs=0.01) and layer.limit == pytest.approx(0.25 * r, abs=0.01)


def test_bad_profiles_are_reported_together():
    text = "name,trading_volume,client_crypto_hot,client_crypto_cold,regime\na,1e12,oops,1e11,jp-fsa-draft\n"
    with pytest.raises(MarketError, match=r"line 2 \(a\): column client_crypto_hot must be a number \(got 'oops'\)"):
        cases_from_profiles(text)
    with pytest.raises(MarketError, match=r"unknown column\(s\) \['volume'\]"):
        cases_from_profiles("name,volume\na,1\n")
    with pytest.raises(MarketError, match="neither a folder of cases"):
        load_market("no-such-market")


def test_exchange_demand_matches_fresh_solves_and_never_rises(jp28):
    product = load_product(PRODUCT)
    for case in jp28.cases[::7]:
        result = price_exchange(tasks_for(Market("m", "m", (case,)), product, PRICES)[0])
        assert result.error is None
        quantities = [q for q in result.quantities if q is not None]
        assert len(quantities) == len(PRICES)
        assert all(a >= b - 1e-7 for a, b in zip(quantities, quantities[1:], strict=False))
        requirement = requirement_basis(case).amount
        for index in (0, 5, 9):
            fresh = optimize(product.offered_to(case, requirement, PRICES[index]))
            assert fresh.allocation("product").share == pytest.approx(result.quantities[index], abs=1e-7)


def test_market_demand_is_the_sum_and_failures_are_recorded(jp28):
    product = load_product(PRODUCT)
    # R given directly, so the case is valid, but no client crypto to scale the loss model to.
    broken = check_case(
        {
            "name": "no profile",
            "currency": "JPY",
            "requirement": {"amount": 2e9},
            "instruments": [{"id": "cash", "kind": "cash", "cost_rate": 0.05}],
        }
    )
    market = Market("m", "m", (*jp28.cases[:3], broken))
    sweep = sweep_market(product, market, PRICES, "serial")
    bad = sweep.results[-1]
    assert bad.error is not None and "client_crypto_hot/cold are needed" in bad.error
    for index, point in enumerate(sweep.points):
        assert point.failed == ("no profile",)
        expected = sum(r.quantities[index] * r.unit_money for r in sweep.results[:3])
        assert point.limit_bought == pytest.approx(expected)
        assert point.premium_income == pytest.approx(point.price * expected)
    assert sweep.best is None  # every point is incomplete, so none is chosen


def test_capacity_bounds_the_best_price(jp28):
    product = load_product(PRODUCT)
    market = Market("m", "m", jp28.cases[:6])
    free = sweep_market(product.model_copy(update={"capacity": None}), market, PRICES, "serial")
    assert free.best is not None
    cap = free.best.limit_bought * 0.5
    capped = assemble(product.model_copy(update={"capacity": cap}), market, PRICES, list(free.results))
    assert capped.best is not None
    assert capped.best.limit_bought <= cap and capped.best.price > free.best.price


@pytest.mark.slow
def test_dask_local_cluster_gives_the_serial_table(jp28):
    product = load_product(PRODUCT)
    market = Market("m", "m", jp28.cases[:8])
    serial = to_dict(sweep_market(product, market, PRICES, "serial"))
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        distributed = to_dict(sweep_market(product, market, PRICES, cluster.scheduler_address))
    for key in ("points", "exchanges", "best", "technical_rate_on_line", "failures"):
        assert distributed[key] == serial[key], key


def test_product_errors_name_the_field():
    data = {
        "name": "x",
        "currency": "JPY",
        "limit": {"of_requirement": 0.2},
        "loss_model": {"frequency": 0.02, "severity": {"distribution": "pareto"}},
        "risk_load": {"method": "wang", "parameter": 0.2},
    }
    with pytest.raises(ProductError) as error:
        product_from_data(data)
    text = str(error.value)
    assert "attachment is required for a insurance product" in text
    assert "a pareto severity needs alpha and scale_of_client_crypto" in text
    with pytest.raises(ProductError, match=r"risk_load.method"):
        product_from_data({**data, "risk_load": {"method": "vibes", "parameter": 1}})


def test_price_command_outputs(capsys, tmp_path: Path):
    assert main(["price", str(PRODUCT), "--market", "jp-28", "--prices", "0.01:0.05:0.01", "--format", "json"]) == 0
    captured = capsys.readouterr()
    answer = json.loads(captured.out)
    assert [p["price"] for p in answer["points"]] == [0.01, 0.02, 0.03, 0.04, 0.05]
    assert "28/28 exchanges" in captured.err  # the progress bar, on stderr
    assert answer["best"]["price"] in {0.01, 0.02, 0.03, 0.04, 0.05}
    assert main(["price", str(PRODUCT), "--market", "jp-28", "--prices", "0.01:0.02:0.01", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("price,buyers,limit_bought") and len(lines) == 3


@pytest.mark.parametrize(
    ("prices", "message"),
    [("0.1:0.01:0.01", "need 0 <= LO <= HI"), ("a:b", "must be LO:HI:STEP"), ("0:1:0.00001", "at most 2,000")],
)
def test_bad_prices_exit_2(capsys, prices, message):
    assert main(["price", str(PRODUCT), "--market", "jp-28", "--prices", prices]) == 2
    assert message in capsys.readouterr().err


def test_identical_inputs_give_identical_results(jp28):
    product = load_product(PRODUCT)
    market = Market("m", "m", jp28.cases[:2])
    first = sweep_market(product, market, PRICES, "serial")
    again = sweep_market(product, replace(market), PRICES, "serial")
    assert to_dict(first)["exchanges"] == to_dict(again)["exchanges"]


def test_without_a_loss_model_each_exchange_is_priced_from_its_own_scenarios():
    from optimizer import load_case
    from optimizer.pricing.case_layers import case_layer_losses

    product = load_product(PRODUCT).model_copy(update={"loss_model": None})
    with_years = load_case("data/examples/jp-midsize-risk.yaml")
    without = load_case("data/examples/jp-midsize.yaml")
    sweep = sweep_market(product, Market("m", "m", (with_years, without)), PRICES, "serial")
    priced, failed = sweep.results
    assert priced.error is None and failed.error is not None and "no scenarios section" in failed.error
    requirement = requirement_basis(with_years).amount
    years = case_layer_losses(product.offered_to(with_years, requirement, PRICES[0]), "product")
    assert priced.expected_loss == pytest.approx(float(years.mean()))
