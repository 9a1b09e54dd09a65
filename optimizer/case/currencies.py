"""ISO 4217 currency codes: a case's currency must be a real one.

The codes of ISO 4217 list one ("Current currency & funds"), as published by SIX Group, the
maintenance agency (https://www.six-group.com/en/products-services/financial-information/
data-standards.html, list one as amended to 2025, incl. XCG from 2025 and ZWG from 2024).
Left out: XTS (reserved for testing) and XXX (no currency). Codes withdrawn before 2024
(HRK, CUC, ...) are not accepted for new cases.
"""

from __future__ import annotations

from pydantic_core import PydanticCustomError

ISO_4217 = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP
    BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR
    FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES
    KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR
    MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
    SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD
    TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR
    XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG
    """.split()
)

# Names people type for a currency instead of its code.
COMMON_NAMES = {"YEN": "JPY", "RMB": "CNY", "EURO": "EUR", "NTD": "TWD", "WON": "KRW", "BTC": "", "XBT": ""}


def iso_currency(code: str) -> str:
    """``code`` if it is an ISO 4217 currency; otherwise a validation error saying what to write."""
    if code in ISO_4217:
        return code
    suggestion = COMMON_NAMES.get(code)
    if suggestion:
        fix = f"did you mean {suggestion}?"
    elif suggestion == "":
        fix = "crypto-assets have no ISO 4217 code; state the case in the fiat currency the reserve is held in"
    else:
        fix = "use the code of the currency the reserve is held in, such as JPY, EUR, USD or HKD"
    raise PydanticCustomError(
        "iso_4217",
        "is not an ISO 4217 currency code (got '{value}'); {fix}",
        {"value": code, "fix": fix},
    )
