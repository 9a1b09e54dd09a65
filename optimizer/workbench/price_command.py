"""``reserve-opt price PRODUCT --market MARKET``: demand, income, loss and profit at each price.

Kept out of optimizer/cli.py so the command's parsing, progress bar and output live together.
Bad input (product file, market, --prices) exits 2 with a message naming what is wrong; a
price at which an exchange's solve fails is recorded in the answer, not raised.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_INVALID = 0, 2


def add_price_parser(commands: Any) -> None:
    """Register the ``price`` subcommand on the CLI's subparsers."""
    price = commands.add_parser(
        "price",
        help="an insurer's product across a market of exchanges: demand, income, loss and profit by price",
    )
    price.add_argument("product", type=Path, help="product file (YAML; see data/markets/README.md)")
    price.add_argument(
        "--market",
        required=True,
        help="a market in data/markets/ (jp-28), a folder of case files, or a CSV of profiles",
    )
    price.add_argument("--prices", metavar="LO:HI:STEP", help="rates on line to try (default: the product's grid)")
    price.add_argument(
        "--scheduler",
        default="auto",
        metavar="ADDRESS",
        help="dask scheduler address (tcp://host:8786), 'local' (a LocalCluster sized to this machine), "
        "'serial', or 'auto' (default: serial below 200 exchanges, local above)",
    )
    price.add_argument("--format", choices=["table", "json", "csv"], default="table")
    price.set_defaults(run=run_price)


def _parse_prices(text: str) -> tuple[float, float, float]:
    parts = text.split(":")
    try:
        low, high, step = (float(part) for part in parts)
    except ValueError:
        msg = f"--prices must be LO:HI:STEP, three rates on line such as 0.005:0.1:0.0025 (got {text!r})"
        raise ValueError(msg) from None
    return low, high, step


def run_price(args: argparse.Namespace) -> int:
    """Run the sweep and print it."""
    # Imported here, not at the top: registering the command (for --help) must stay cheap.
    from optimizer.pricing.market import MarketError, load_market
    from optimizer.pricing.product import ProductError, load_product
    from optimizer.pricing.report import price_grid, render_csv, render_table, sweep_market, to_dict

    try:
        product = load_product(args.product)
        if args.prices is not None:
            grid = price_grid(*_parse_prices(args.prices))
        elif product.prices is not None:
            grid = price_grid(product.prices.low, product.prices.high, product.prices.step)
        else:
            print("reserve-opt price: give --prices LO:HI:STEP (the product file has no prices)", file=sys.stderr)
            return EXIT_INVALID
        market = load_market(args.market)
    except (ProductError, MarketError, ValueError) as error:
        print(f"reserve-opt price: {error}", file=sys.stderr)
        return EXIT_INVALID
    sweep = sweep_market(product, market, grid, args.scheduler, ProgressBar(sys.stderr))
    if args.format == "json":
        print(json.dumps(to_dict(sweep), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        print(render_csv(sweep), end="")
    else:
        print(render_table(sweep))
    return EXIT_OK


class ProgressBar:
    """A one-line progress bar on a stream (stderr): `pricing [#####-----] 14/28 exchanges`."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width

    def __call__(self, done: int, total: int) -> None:
        """Redraw the bar; end the line when everything is done."""
        filled = round(self.width * done / total) if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\rpricing [{bar}] {done}/{total} exchanges")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
