"""Insurer page: the demand curve of one layer for this exchange, and a product across a market.

The exact demand curve comes from parametric re-solves of the case (optimizer/pricing/demand.py);
the market sweep adds up the exchanges of a shipped market at each price, with the technical
rate marked. The sweep runs in this process (at most ``MAX_APP_EXCHANGES`` exchanges and
``MAX_APP_PRICES`` prices: larger sweeps belong to `reserve-opt price`, which can use a cluster).
"""

from __future__ import annotations

import streamlit as st

from optimizer import Case
from optimizer.pricing.demand import DemandCurve, demand_curve
from optimizer.pricing.live import LiveModel, PricingError
from optimizer.pricing.market import MARKETS_DIR, Market, MarketError, load_market
from optimizer.pricing.product import Product, ProductError, load_product
from optimizer.pricing.report import MarketSweep, price_grid, sweep_market
from ui import format as fmt
from ui.i18n import t
from ui.inputs import percent_input
from ui.insurer_charts import breakpoints_frame, curve_chart, sweep_charts, sweep_frame, sweep_table
from ui.state import case_source
from ui.tables import show_table
from ui.text import esc
from ui.views import page_case, price_words

MAX_APP_EXCHANGES = 200
MAX_APP_PRICES = 80
_ROWS_SHOWN = 25
"""Rows of the sweep's table shown without scrolling (a longer grid scrolls inside the table)."""
_ROW_PX = 35
"""Height of a row of ``st.dataframe``, in pixels."""


def _curve_words(curve: DemandCurve, currency: str) -> str:
    """What the curve says, in a sentence: the entry price against the price now."""
    name = esc(curve.instrument)
    entry = curve.entry_price
    if entry is None:
        return t("insurer.never_drops", instrument=name)
    if entry <= 0:
        return t("insurer.never_bought", instrument=name)
    return t(
        "insurer.bought_up_to",
        instrument=name,
        entry=price_words(curve.price_field, entry, currency),
        now=price_words(curve.price_field, curve.current, currency),
        count=len(curve.breakpoints),
        solves=curve.solves,
    )


def _exchange_section(case: Case) -> None:
    st.caption(f"{esc(case.name)} — {esc(case_source())}")
    ids = [item.id for item in case.instruments]
    covers = [item.id for item in case.instruments if str(item.kind) in ("insurance", "parametric")]
    if not covers:
        st.info(t("insurer.no_cover"))
        return
    chosen = st.selectbox(t("insurer.layer"), covers, key="insurer_layer", help=t("insurer.layer_help"))
    try:
        curve = demand_curve(LiveModel(case), chosen)
    except PricingError as error:
        st.error(t("insurer.no_curve", error=esc(error)), icon=":material/error:")
        return
    st.altair_chart(curve_chart(curve, case.currency, ids), width="stretch")
    st.markdown(_curve_words(curve, case.currency))
    if curve.breakpoints:
        show_table(breakpoints_frame(curve, case.currency))


def _grid() -> tuple[float, float, float] | None:
    """The price grid's inputs (rates on line, in percent); None when one is left empty."""
    low, high, step = st.columns(3)
    empty = t("form.not_given")
    with low:
        price_low = percent_input(t("insurer.low"), 0.0025, "insurer_low", step=0.25, placeholder=empty)
    with high:
        price_high = percent_input(t("insurer.high"), 0.08, "insurer_high", step=0.25, placeholder=empty)
    with step:
        price_step = percent_input(t("insurer.step"), 0.0025, "insurer_step", step=0.05, placeholder=empty,
                                   help=t("insurer.step_help", most=MAX_APP_PRICES))
    if price_low is None or price_high is None or price_step is None:
        return None
    return price_low, price_high, price_step


class _Refused(Exception):
    """A request the page refuses, with the page's own words (from the catalogue) for why."""


def _checked_grid(grid: tuple[float, float, float] | None) -> tuple[float, ...]:
    """The prices to try; ``_Refused`` saying what is wrong with the grid."""
    if grid is None:
        raise _Refused(t("insurer.grid_missing"))
    low, high, step = grid
    if step <= 0:
        raise _Refused(t("insurer.step_zero"))
    if high < low:
        raise _Refused(t("insurer.grid_reversed", low=fmt.rate(low), high=fmt.rate(high)))
    count = int((high - low) / step + 1e-9) + 1
    if count > MAX_APP_PRICES:
        raise _Refused(t("insurer.too_many_prices", count=count, most=MAX_APP_PRICES))
    return price_grid(low, high, step)


def _load(market_name: str, product_name: str) -> tuple[Market, Product]:
    market = load_market(market_name)
    if len(market.cases) > MAX_APP_EXCHANGES:
        raise _Refused(t("insurer.too_many_exchanges", count=len(market.cases), most=MAX_APP_EXCHANGES))
    return market, load_product(MARKETS_DIR / "products" / product_name)


def _show_sweep(sweep: MarketSweep) -> None:
    currency = sweep.product.currency
    st.markdown("**" + t("insurer.sweep_title", product=esc(sweep.product.name), market=esc(sweep.market.name)) + "**")
    demand, economics = st.columns(2, gap="large")
    charts = sweep_charts(sweep)
    demand.altair_chart(charts[0], width="stretch")
    economics.altair_chart(charts[1], width="stretch")
    st.caption(t("insurer.sweep_caption"))
    technical, best, profit, buyers = st.columns(4)
    technical.metric(
        t("insurer.technical"),
        fmt.rate(sweep.technical_rate) if sweep.technical_rate is not None else "—",
        help=t("insurer.technical_help"),
    )
    if sweep.best is None:
        best.metric(t("insurer.best"), "—")
        st.info(t("insurer.no_best"))
    else:
        best.metric(t("insurer.best"), fmt.rate(sweep.best.price), help=t("insurer.best_help"))
        profit.metric(t("insurer.best_profit"), fmt.short(sweep.best.expected_profit, currency),
                      help=fmt.money(sweep.best.expected_profit, currency))
        buyers.metric(t("insurer.best_buyers"), f"{sweep.best.buyers:,} / {len(sweep.market.cases):,}")
    failed = [result.error for result in sweep.results if result.error]
    if failed:
        listed = "\n".join(f"- {esc(error)}" for error in failed[:5])
        more = "\n- " + t("views.more", count=len(failed) - 5) if len(failed) > 5 else ""
        st.warning(t("insurer.failed", count=len(failed)) + f"\n\n{listed}{more}", icon=":material/warning:")
    table = sweep_table(sweep)
    show_table(table, height=_ROW_PX * (min(len(table), _ROWS_SHOWN) + 1) + 3)
    st.download_button(
        t("insurer.download"),
        sweep_frame(sweep).to_csv(index=False).encode("utf-8"),
        file_name=f"{sweep.market.name}-price-sweep.csv",
        mime="text/csv",
        key="insurer_download",
        help=t("insurer.download_help"),
    )


def _market_section() -> None:
    markets = sorted(path.name for path in MARKETS_DIR.iterdir() if path.is_dir() and path.name != "products")
    products = sorted(path.name for path in (MARKETS_DIR / "products").glob("*.yaml"))
    left, right = st.columns(2)
    market_name = left.selectbox(t("insurer.market"), markets, key="insurer_market", help=t("insurer.market_help"))
    product_name = right.selectbox(t("insurer.product"), products, key="insurer_product",
                                   help=t("insurer.product_help"))
    grid = _grid()
    if st.button(t("insurer.run"), type="primary", key="insurer_run"):
        try:
            prices = _checked_grid(grid)
            market, product = _load(market_name, product_name)
        except _Refused as refused:
            st.error(str(refused), icon=":material/block:")
        except (ValueError, MarketError, ProductError) as error:
            st.error(esc(error), icon=":material/error:")
        else:
            with st.spinner(t("insurer.running", exchanges=len(market.cases), prices=len(prices))):
                st.session_state["insurer_sweep"] = sweep_market(product, market, prices, "serial")
    sweep = st.session_state.get("insurer_sweep")
    if isinstance(sweep, MarketSweep):
        _show_sweep(sweep)


st.title(t("insurer.title"))
st.caption(t("insurer.intro"))
st.subheader(t("insurer.exchange"))
case = page_case()
if case is not None:
    _exchange_section(case)
st.subheader(t("insurer.market_title"))
_market_section()
