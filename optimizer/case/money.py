"""Money in the case currency, written the way a CFO reads it."""

from __future__ import annotations

_SYMBOLS = {"JPY": "¥", "EUR": "€", "USD": "$", "GBP": "£", "KRW": "₩", "HKD": "HK$", "CNY": "CN¥"}


def symbol(currency: str) -> str:
    """The sign written before amounts, or the ISO code and a space."""
    return _SYMBOLS.get(currency, f"{currency} ")


def money(value: float, currency: str) -> str:
    """Full amount with thousands separators: ¥2,000,000,000 (no decimals above 1,000)."""
    sign = "-" if value < 0 else ""
    whole = abs(value) >= 1000 or float(abs(value)).is_integer()
    digits = f"{abs(value):,.0f}" if whole else f"{abs(value):,.2f}"
    return f"{sign}{symbol(currency)}{digits}"


def short_money(value: float, currency: str) -> str:
    """Short amount for sentences: ¥2.0bn, €150k, HK$10.2bn, ¥40tn."""
    sign = "-" if value < 0 else ""
    size = abs(value)
    for threshold, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        # Compare after rounding, so 999,999,999.99 reads ¥1.0bn rather than ¥1000m.
        if size >= threshold * 0.9995:
            scaled = size / threshold
            text = f"{scaled:.1f}" if scaled < 100 else f"{scaled:.0f}"
            return f"{sign}{symbol(currency)}{text}{suffix}"
    return f"{sign}{symbol(currency)}{size:,.0f}"


def percent(value: float) -> str:
    """A fraction as a percentage: 0.035 -> 3.5%."""
    return f"{value * 100:.4g}%"


# Japanese units for yen (億 = 1e8, 兆 = 1e12, 万 = 1e4), as Japanese CFOs write amounts.
_JAPANESE_UNITS = ((1e12, "兆円"), (1e8, "億円"), (1e4, "万円"))


def oku_money(value: float) -> str:
    """A yen amount in Japanese units, three significant figures: 2.74億円, 100億円, 4.00兆円."""
    sign = "-" if value < 0 else ""
    size = abs(value)
    for threshold, suffix in _JAPANESE_UNITS:
        if size >= threshold * 0.9995:
            scaled = size / threshold
            decimals = 2 if scaled < 9.995 else 1 if scaled < 99.95 else 0
            return f"{sign}{scaled:,.{decimals}f}{suffix}"
    return f"{sign}{size:,.0f}円"


def yen_full(value: float) -> str:
    """A whole yen amount written the Japanese way: 274,000,000円."""
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,.0f}円"
