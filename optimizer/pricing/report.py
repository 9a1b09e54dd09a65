"""A market price sweep as a table, JSON or CSV (``reserve-opt price``)."""

from __future__ import annotations

import csv
import io
import math
import time
from dataclasses import dataclass
from typing import Any

from optimizer.case.money import percent, short_money
from optimizer.pricing.distributed import Progress, resolve_scheduler, run_tasks
from optimizer.pricing.market import Market
from optimizer.pricing.product import Product
from optimizer.pricing.sweep import (
    ExchangeResult,
    ExchangeTask,
    MarketPoint,
    best_point,
    market_points,
    market_technical_rate,
)


@dataclass(frozen=True)
class MarketSweep:
    """The whole answer of a price sweep."""

    product: Product
    market: Market
    prices: tuple[float, ...]
    results: tuple[ExchangeResult, ...]
    points: tuple[MarketPoint, ...]
    best: MarketPoint | None
    technical_rate: float | None
    seconds: float = 0.0
    scheduler: str = "serial"


MAX_PRICES = 2_000
"""The most prices one sweep tries."""


def price_grid(low: float, high: float, step: float) -> tuple[float, ...]:
    """low, low + step, ... up to high (inclusive within a hair), rounded to 10 digits.

    Raises
    ------
    ValueError
        If the grid is empty, reversed, negative, or longer than MAX_PRICES.
    """
    if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(step)):
        msg = f"prices must be finite numbers (got {low}:{high}:{step})"
        raise ValueError(msg)
    if low < 0 or high < low or step <= 0:
        msg = f"prices LO:HI:STEP need 0 <= LO <= HI and STEP > 0 (got {low:g}:{high:g}:{step:g}); try 0.005:0.1:0.0025"
        raise ValueError(msg)
    count = int(math.floor((high - low) / step + 1e-9)) + 1
    if count > MAX_PRICES:
        msg = f"prices {low:g}:{high:g}:{step:g} make {count:,} prices; at most {MAX_PRICES:,} per sweep (widen STEP)"
        raise ValueError(msg)
    return tuple(round(low + index * step, 10) for index in range(count))


def tasks_for(market: Market, product: Product, prices: tuple[float, ...]) -> list[ExchangeTask]:
    """One task per exchange of the market."""
    return [ExchangeTask(case, product, prices) for case in market.cases]


def assemble(
    product: Product,
    market: Market,
    prices: tuple[float, ...],
    results: list[ExchangeResult],
    seconds: float = 0.0,
    scheduler: str = "serial",
) -> MarketSweep:
    """Points, best price and technical rate from the exchanges' results."""
    points = market_points(results, product, prices)
    return MarketSweep(
        product,
        market,
        prices,
        tuple(results),
        tuple(points),
        best_point(points),
        market_technical_rate(results),
        seconds,
        scheduler,
    )


def sweep_market(
    product: Product,
    market: Market,
    prices: tuple[float, ...],
    scheduler: str = "auto",
    progress: Progress | None = None,
    workers: int | None = None,
) -> MarketSweep:
    """Price the product at every price for every exchange of the market and add up."""
    started = time.perf_counter()
    results = run_tasks(tasks_for(market, product, prices), scheduler, progress, workers)
    mode = resolve_scheduler(scheduler, len(market.cases))
    return assemble(product, market, prices, results, time.perf_counter() - started, mode)


COLUMNS = (
    "price",
    "buyers",
    "limit_bought",
    "premium_income",
    "expected_loss",
    "expected_loss_ratio",
    "expected_profit",
    "within_capacity",
    "failed",
)


def point_row(point: MarketPoint) -> dict[str, Any]:
    """One point as a flat record (CSV, JSON, the app's table)."""
    return {
        "price": point.price,
        "buyers": point.buyers,
        "limit_bought": point.limit_bought,
        "premium_income": point.premium_income,
        "expected_loss": point.expected_loss,
        "expected_loss_ratio": point.expected_loss_ratio,
        "expected_profit": point.expected_profit,
        "within_capacity": point.within_capacity,
        "failed": ";".join(point.failed),
    }


def render_csv(sweep: MarketSweep) -> str:
    """One row per price."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for point in sweep.points:
        writer.writerow(point_row(point))
    return buffer.getvalue()


def to_dict(sweep: MarketSweep) -> dict[str, Any]:
    """The JSON answer: the product, the points, the best price and every exchange's figures."""
    return {
        "product": sweep.product.model_dump(mode="json"),
        "market": {"name": sweep.market.name, "source": sweep.market.source, "exchanges": len(sweep.market.cases)},
        "technical_rate_on_line": sweep.technical_rate,
        "best": None if sweep.best is None else point_row(sweep.best),
        "points": [point_row(point) for point in sweep.points],
        "exchanges": [
            {
                "name": result.name,
                "requirement": result.requirement,
                "unit_money": result.unit_money,
                "expected_loss": result.expected_loss,
                "risk_premium": result.risk_premium,
                "technical_rate_on_line": result.technical_rate,
                "quantities": list(result.quantities),
                "error": result.error,
            }
            for result in sweep.results
        ],
        "failures": [error for result in sweep.results for error in result.errors if error is not None],
        "scheduler": sweep.scheduler,
        "seconds": sweep.seconds,
    }


def render_table(sweep: MarketSweep) -> str:
    """The sweep as text for a terminal."""
    cur = sweep.product.currency
    lines = [
        f"{sweep.product.name}: demand across {sweep.market.name} ({len(sweep.market.cases)} exchanges)",
        "",
        (
            f"{'price':>8} {'buyers':>7} {'limit bought':>13} {'premium':>10} {'exp. loss':>10} "
            f"{'loss ratio':>10} {'exp. profit':>12}  note"
        ),
    ]
    for point in sweep.points:
        ratio = "-" if point.expected_loss_ratio is None else percent(point.expected_loss_ratio)
        notes = []
        if not point.within_capacity:
            notes.append("over capacity")
        if point.failed:
            notes.append(f"{len(point.failed)} failed")
        if sweep.best is not None and point.price == sweep.best.price:
            notes.append("<- best")
        lines.append(
            f"{percent(point.price):>8} {point.buyers:>7} {short_money(point.limit_bought, cur):>13} "
            f"{short_money(point.premium_income, cur):>10} {short_money(point.expected_loss, cur):>10} "
            f"{ratio:>10} {short_money(point.expected_profit, cur):>12}  {', '.join(notes)}"
        )
    lines.append("")
    if sweep.technical_rate is not None:
        lines.append(
            f"Technical rate on line across the market: {percent(sweep.technical_rate)} "
            f"({sweep.product.risk_load.method} {sweep.product.risk_load.parameter:g}, "
            f"expense ratio {percent(sweep.product.expense_ratio)})."
        )
    if sweep.best is None:
        lines.append("No price of the grid is complete and within capacity.")
    else:
        verdict = "" if sweep.best.expected_profit > 0 else " (no price of the grid is profitable)"
        lines.append(
            f"Best price of the grid: {percent(sweep.best.price)}, expected profit "
            f"{short_money(sweep.best.expected_profit, cur)} a year{verdict}."
        )
    if sweep.product.capacity is not None:
        lines.append(f"Insurer capacity: {short_money(sweep.product.capacity, cur)} of limit across the market.")
    failures = [result.error for result in sweep.results if result.error is not None]
    if failures:
        lines += ["", f"{len(failures)} exchange(s) could not be priced:"]
        lines += [f"  - {text}" for text in failures[:20]]
    lines.append(f"({len(sweep.prices)} prices, {sweep.scheduler}, {sweep.seconds:.1f} s.)")
    return "\n".join(lines)
