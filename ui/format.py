"""One set of units on every page: money, rates, shares and changes, formatted one way.

Every page formats numbers through these functions, never with its own f-string, so that a
rate reads "3.5%" on the Case page, the Market grid, the What-if sliders and the report
alike (docs/app-conventions.md):

- ``money``: the full amount with thousands separators and the currency sign, ¥2,000,000,000;
- ``short``: the short form where space is tight, ¥2.0bn (or 20億円 when the session shows
  Japanese money formats for JPY);
- ``rate``: a fraction as a percentage with as many decimals as it needs, 0.0005 -> 0.05%;
- ``share``: a cost or amount as a share of something, always two decimals, 2.74%;
- ``delta``: a signed change with an ASCII minus, so Streamlit's metric colours it.

Rate inputs use ``rate_format`` and ``rate_step`` so the + button moves a 0.05% rate to
0.06%, not to 5.05%.
"""

from __future__ import annotations

import math

import streamlit as st

from optimizer.case import money as _money

OKU = "oku"
"""Money style: Japanese units (億円, 兆円) for JPY amounts."""
WESTERN = "western"
"""Money style: thousands, millions, billions (¥2.0bn)."""
_STYLE = "money_style"


def money_style() -> str:
    """The session's money style for short forms (``OKU`` or ``WESTERN``)."""
    return str(st.session_state.get(_STYLE, WESTERN))


def set_money_style(style: str) -> None:
    """Choose the session's money style."""
    st.session_state[_STYLE] = style


def money(value: float, currency: str) -> str:
    """The full amount: ¥2,000,000,000 (or 2,000,000,000円 in the Japanese style)."""
    if currency == "JPY" and money_style() == OKU:
        return _money.yen_full(value)
    return _money.money(value, currency)


def short(value: float, currency: str) -> str:
    """The short form: ¥2.0bn, €150k (or 20億円 in the Japanese style for JPY)."""
    if currency == "JPY" and money_style() == OKU:
        return _money.oku_money(value)
    return _money.short_money(value, currency)


def rate(fraction: float) -> str:
    """A rate as a percentage with the decimals it needs: 0.035 -> 3.5%, 0.0005 -> 0.05%."""
    return _money.percent(fraction)


def share(fraction: float) -> str:
    """A share (of R, of a total) with the same precision everywhere: 2.74%."""
    return f"{fraction * 100:.2f}%"


def delta(change: float, currency: str) -> str:
    """A change in money with its sign in ASCII: "+¥12.0m", "-¥31.2m".

    ``st.metric`` reads the direction (arrow and colour) from a leading "-"; a Unicode minus
    would be taken for a rise.
    """
    sign = "-" if change < 0 else "+"
    return f"{sign}{short(abs(change), currency)}"


def rate_decimals(percent_value: float | None) -> int:
    """Decimals that show a percentage as it is (up to four significant figures), at least one."""
    if not percent_value:
        return 1
    text = f"{abs(percent_value):.4g}"
    if "e" in text:  # below 0.0001%: as many decimals as reach the first significant digit, +1
        return min(10, 1 - math.floor(math.log10(abs(percent_value))))
    return max(1, len(text.partition(".")[2]))


def rate_step(percent_value: float | None) -> float:
    """A step for a percentage input that moves it by a fraction of its size, not past it.

    The order of magnitude of the value (a tenth of it when its first digit is 1 or 2):
    0.05 -> 0.01, 3.5 -> 1, 20 -> 1, 1.0 -> 0.1. An empty or zero input steps by 1.
    """
    if not percent_value:
        return 1.0
    magnitude = math.floor(math.log10(abs(percent_value)))
    leading = abs(percent_value) / 10**magnitude
    exponent = magnitude - 1 if leading < 3 else magnitude
    return float(10 ** min(exponent, 0))


def rate_format(percent_value: float | None, step: float | None = None) -> str:
    """The printf format of a percentage input: enough decimals for the value and its step."""
    step = step or rate_step(percent_value)
    step_decimals = len(f"{step:.10f}".rstrip("0").partition(".")[2])  # 0.25 -> 2, 1.0 -> 0
    return f"%.{max(rate_decimals(percent_value), step_decimals)}f"
