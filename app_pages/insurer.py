"""Insurer page: the demand curve of one layer for this exchange, and a product across a market.

The exact demand curve comes from parametric re-solves of the case (optimizer/pricing/demand.py);
the market sweep adds up the exchanges of a shipped market at each price, with the technical
rate marked. The sweep runs in this process (at most ``MAX_APP_EXCHANGES`` exchanges and
``MAX_APP_PRICES`` prices: larger sweeps belong to `reserve-opt price`, which can use a cluster).
"""

from __future__ import annotations

import streamlit as st

from optimizer import CaseError
from optimizer.case.money import percent, short_money
from optimizer.pricing.demand import demand_curve
from optimizer.pricing.live import LiveModel, PricingError
from optimizer.pricing.market import MARKETS_DIR, MarketError, load_market
from optimizer.pricing.product import ProductError, load_product
from optimizer.pricing.report import MarketSweep, price_grid, sweep_market
from ui.insurer_charts import breakpoints_frame, curve_chart, sweep_chart, sweep_frame
from ui.state import case_source, current_case
from ui.views import show_problems

MAX_APP_EXCHANGES = 200
MAX_APP_PRICES = 80


def _price(value: float, field: str, currency: str) -> str:
    return short_money(value, currency) + " per unit" if field == "premium" else percent(value)


st.title("Insurer")
st.caption(
    "What an exchange buys of a layer at each price, found exactly by re-solving its case, "
    "and what a whole market buys of a product."
)

st.subheader("This exchange: the demand curve of one instrument")
case = current_case()
if isinstance(case, CaseError):
    show_problems(case, "The case has problems; fix them on the Case or Market page")
else:
    st.caption(f"{case.name} — {case_source()}")
    covers = [item.id for item in case.instruments if str(item.kind) in ("insurance", "parametric")]
    if not covers:
        st.info("The case offers no insurance layer or parametric cover.")
    else:
        chosen = st.selectbox("Layer or parametric cover", covers, key="insurer_layer")
        try:
            curve = demand_curve(LiveModel(case), chosen)
        except PricingError as error:
            st.error(f"No demand curve: {error}", icon=":material/error:")
        else:
            st.altair_chart(curve_chart(curve, case.currency), width="stretch")
            entry = curve.entry_price
            if entry is None:
                st.write(f"{chosen} never drops out: the case cannot be met without it.")
            elif entry <= 0:
                st.write(f"{chosen} is bought at no positive price.")
            else:
                st.write(
                    f"{chosen} is bought at prices up to **{_price(entry, curve.price_field, case.currency)}** "
                    f"(now {_price(curve.current, curve.price_field, case.currency)}); "
                    f"{len(curve.breakpoints)} price(s) at which the quantity changes, each confirmed by re-solving "
                    f"just below and just above ({curve.solves} re-solves)."
                )
            if curve.breakpoints:
                st.dataframe(breakpoints_frame(curve), hide_index=True, width="stretch")

st.subheader("A market: demand, income, loss and profit by price")
markets = sorted(path.name for path in MARKETS_DIR.iterdir() if path.is_dir() and path.name != "products")
products = sorted(path.name for path in (MARKETS_DIR / "products").glob("*.yaml"))
left, right = st.columns(2)
market_name = left.selectbox("Market", markets, key="insurer_market")
product_name = right.selectbox("Product", products, key="insurer_product")
low, high, step = st.columns(3)
price_low = low.number_input("Lowest rate on line", 0.0, 1.0, 0.0025, 0.0025, format="%.4f", key="insurer_low")
price_high = high.number_input("Highest rate on line", 0.0, 1.0, 0.08, 0.0025, format="%.4f", key="insurer_high")
price_step = step.number_input("Step", 0.0005, 0.5, 0.0025, 0.0005, format="%.4f", key="insurer_step")
if st.button("Price the market", type="primary", key="insurer_run"):
    try:
        grid = price_grid(price_low, price_high, price_step)
        if len(grid) > MAX_APP_PRICES:
            msg = f"{len(grid)} prices; the app tries at most {MAX_APP_PRICES} (widen the step)"
            raise ValueError(msg)
        market = load_market(market_name)
        if len(market.cases) > MAX_APP_EXCHANGES:
            msg = (
                f"{len(market.cases)} exchanges; the app prices at most {MAX_APP_EXCHANGES} "
                "(use `reserve-opt price`, which can run on a cluster)"
            )
            raise ValueError(msg)
        product = load_product(MARKETS_DIR / "products" / product_name)
    except (ValueError, MarketError, ProductError) as error:
        st.error(str(error), icon=":material/error:")
    else:
        with st.spinner(f"Pricing {len(market.cases)} exchanges at {len(grid)} prices"):
            st.session_state["insurer_sweep"] = sweep_market(product, market, grid, "serial")
sweep = st.session_state.get("insurer_sweep")
if isinstance(sweep, MarketSweep):
    currency = sweep.product.currency
    st.altair_chart(sweep_chart(sweep), width="stretch")
    facts = []
    if sweep.technical_rate is not None:
        facts.append(f"technical rate on line {percent(sweep.technical_rate)}")
    if sweep.best is not None:
        facts.append(
            f"best price of the grid {percent(sweep.best.price)} "
            f"(expected profit {short_money(sweep.best.expected_profit, currency)} a year, "
            f"{sweep.best.buyers} buyers)"
        )
    st.write("; ".join(facts).capitalize() + "." if facts else "No price of the grid is complete.")
    failed = [result.error for result in sweep.results if result.error]
    if failed:
        st.warning(f"{len(failed)} exchange(s) could not be priced: " + "; ".join(failed[:5]))
    table = sweep_frame(sweep)
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        "Download the table (CSV)",
        table.to_csv(index=False).encode("utf-8"),
        file_name=f"{sweep.market.name}-price-sweep.csv",
        mime="text/csv",
        key="insurer_download",
    )
