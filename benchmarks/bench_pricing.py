"""Benchmark: the insurer's desk (issue #11).

Run: python benchmarks/bench_pricing.py [--repeats N] [--exchanges 1000] [--skip-large]

1. One exchange's exact demand curve for one layer (jp-exchange-01 of data/markets/jp-28,
   layer xl-2): the curve on a solved model (warm re-solves), and with the build and first
   solve included. Target <= 50 ms.
2. The 28-exchange market jp-28 x 40 prices (0.25% to 10%), serial in one process.
   Target <= 3 s on a 2-core machine.
3. ``--exchanges`` exchanges (default 1,000; CSV profiles with the standard tower, drawn like
   jp-28's) x 40 prices, serially and through a two-worker LocalCluster (cluster start-up
   included), with the ratio. The two tables are checked to be identical.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from optimizer.case.loading import load_case
from optimizer.pricing.demand import demand_curve
from optimizer.pricing.live import LiveModel
from optimizer.pricing.market import MARKETS_DIR, Market, cases_from_profiles, load_market
from optimizer.pricing.product import load_product
from optimizer.pricing.report import price_grid, sweep_market, to_dict

PRODUCT = MARKETS_DIR / "products" / "jp-excess-25xs50.yaml"
PRICES = price_grid(0.0025, 0.1, 0.0025)


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms (min {min(samples) * 1000:.1f}, n={len(samples)})"


def bench_curve(repeats: int) -> None:
    case = load_case(MARKETS_DIR / "jp-28" / "jp-exchange-01.yaml")
    warm, cold, solves = [], [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        live = LiveModel(case)
        built = time.perf_counter()
        curve = demand_curve(live, "xl-2")
        done = time.perf_counter()
        warm.append(done - built)
        cold.append(done - started)
        solves = curve.solves
    print(f"1. demand curve of one layer: {_median_ms(warm)} on the solved model; {_median_ms(cold)} with build")
    print(f"   ({len(curve.breakpoints)} breakpoints, {solves} re-solves; target <= 50 ms)")


def bench_market(repeats: int) -> None:
    product = load_product(PRODUCT)
    market = load_market("jp-28")
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        sweep_market(product, market, PRICES, "serial")
        times.append(time.perf_counter() - started)
    print(
        f"2. jp-28 (28 exchanges) x {len(PRICES)} prices, serial: {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, n={repeats}; target <= 3 s on 2 cores)"
    )


def large_market(count: int) -> Market:
    rng = random.Random(1000)
    header = (
        "name,currency,regime,trading_volume,client_crypto_hot,client_crypto_cold,client_fiat,"
        "cash_cost_rate,min_cash_fraction,max_counterparty_fraction,rate_scale"
    )
    lines = [header]
    for index in range(count):
        deposits = 10 ** rng.uniform(9.5, 12.3)
        crypto = 0.85 * deposits
        hot = crypto * rng.uniform(0.02, 0.05)
        lines.append(
            f"x{index:05d},JPY,jp-fsa-draft,{deposits * rng.uniform(3, 15):.0f},{hot:.0f},{crypto - hot:.0f},"
            f"{0.15 * deposits:.0f},{rng.uniform(0.03, 0.06):.4f},0.2,0.4,{rng.uniform(0.8, 1.3):.3f}"
        )
    return Market(f"synthetic-{count}", "generated", tuple(cases_from_profiles("\n".join(lines))))


def bench_large(count: int) -> None:
    from dask.distributed import LocalCluster

    product = load_product(PRODUCT)
    market = large_market(count)
    started = time.perf_counter()
    serial = sweep_market(product, market, PRICES, "serial")
    serial_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        distributed = sweep_market(product, market, PRICES, cluster.scheduler_address)
    cluster_seconds = time.perf_counter() - started
    same = all(to_dict(serial)[key] == to_dict(distributed)[key] for key in ("points", "exchanges", "best"))
    print(
        f"3. {count:,} exchanges x {len(PRICES)} prices: serial {serial_seconds:.1f} s; two-worker LocalCluster "
        f"{cluster_seconds:.1f} s (start-up included); ratio serial/cluster {serial_seconds / cluster_seconds:.2f}; "
        f"identical tables: {same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--exchanges", type=int, default=1000)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    bench_curve(max(args.repeats * 4, 10))
    bench_market(args.repeats)
    if not args.skip_large:
        bench_large(args.exchanges)


if __name__ == "__main__":
    main()
