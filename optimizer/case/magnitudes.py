"""Sane magnitudes: R within bounds, and every amount of an instrument within a ratio of R.

The model is built in units of R and solved in double precision with tolerances of about
1e-9 (model.md, solver-notes.md). An amount a trillionth of R or a million times R is then
either below what the solver can tell from zero or so large that it swamps every other
coefficient: HiGHS drops or mis-scales it and the answer, or the run, fails (a layer limit of
1e300, a payout of 1e15 against R of 1, R of 1e-300 all did). Such figures are almost always
typing mistakes, so they are refused with the bound and the reason rather than solved badly.

The bounds, stated in README.md ("Limits on input"):

- R (given or computed by a regime) is finite, at least ``MIN_REQUIREMENT`` units of the case
  currency and at most ``MAX_NUMBER``;
- every non-zero instrument amount (``max_amount``, ``attachment``, ``limit``, ``trigger``,
  ``payout``) and every amount of cover a regime makes mandatory lies within
  [``LOW_RATIO`` x R, ``HIGH_RATIO`` x R].

Rates, fractions, premiums per unit, unit counts and the exchange profile are not measured
against R: they enter the model as ratios or only through R, and are bounded by MAX_NUMBER.
"""

from __future__ import annotations

import math

from optimizer.case.errors import Problem
from optimizer.case.money import money, symbol
from optimizer.case.phrase import Phrase, phrase
from optimizer.case.raw import MAX_NUMBER
from optimizer.case.schema import Case

MIN_REQUIREMENT = 1_000.0
"""Smallest R accepted, in units of the case currency. The money tolerances are one unit of
currency or 1e-9 x R, whichever is larger, so below 1,000 units a tolerance would exceed 0.1%
of R; no regulatory reserve is that small in any currency."""
LOW_RATIO = 1e-12
"""A non-zero instrument amount is at least this fraction of R (¥0.01 against R = ¥10bn)."""
HIGH_RATIO = 1e6
"""A non-zero instrument amount is at most this multiple of R (leave ``max_amount`` out for 'no limit')."""
AMOUNT_FIELDS = ("max_amount", "attachment", "limit", "trigger", "payout")
"""Instrument fields that are amounts of money (premium is a price per unit, not an amount)."""


def requirement_problems(
    amount: float, path: str, origin: str, currency: str, source: Phrase | None = None
) -> list[Problem]:
    """Problems with R itself: not finite, below MIN_REQUIREMENT or above MAX_NUMBER.

    ``origin`` says where R came from, in words (``computed by jp-fsa-draft (...)``); ``source``
    says it as a phrase.
    """
    if source is None:
        source = phrase("binds.untranslated", text=origin)
    if not math.isfinite(amount):
        said = phrase("problems.r_not_finite", amount=amount, origin=source)
        return [Problem(path, f"gives R = {amount} ({origin}), which is not a finite amount; "
                        "an exchange figure, rate or fx is too large: check their digits", said)]  # fmt: skip
    if amount < MIN_REQUIREMENT:
        fix = (
            "check the exchange figures and assumptions the rule uses, or give `requirement.amount`"
            if path != "requirement.amount"
            else "check the digits"
        )
        remedy = phrase("problems.r_fix_regime" if path != "requirement.amount" else "problems.r_fix_digits")
        said = phrase(
            "problems.r_too_small",
            amount=amount_words(amount, currency),
            origin=source,
            least=money(MIN_REQUIREMENT, currency),
            fix=remedy,
        )
        return [
            Problem(
                path,
                f"gives R = {amount_words(amount, currency)} ({origin}); R must be at least "
                f"{money(MIN_REQUIREMENT, currency)}, because tolerances are one unit of currency and a reserve "
                f"of (nearly) nothing needs no optimising: {fix}",
                said,
            )
        ]
    if amount > MAX_NUMBER:
        return [
            Problem(
                path,
                f"gives R = {amount_words(amount, currency)} ({origin}), above the largest amount a case may hold, "
                f"1e18; check the digits of the figures R is computed from (and the fx rate)",
                phrase("problems.r_too_large", amount=amount_words(amount, currency), origin=source),
            )
        ]
    return []


def amount_problems(case: Case, requirement: float) -> list[Problem]:
    """Every non-zero instrument amount outside [LOW_RATIO x R, HIGH_RATIO x R]."""
    problems = []
    for index, item in enumerate(case.instruments):
        for name in AMOUNT_FIELDS:
            value = getattr(item, name, None)
            if isinstance(value, float) and value != 0:
                problem = ratio_problem(f"instruments[{index}].{name}", value, requirement, case.currency)
                problems += [problem] if problem else []
    return problems


def ratio_problem(path: str, value: float, requirement: float, currency: str) -> Problem | None:
    """The problem with one non-zero amount outside [LOW_RATIO x R, HIGH_RATIO x R], if it is."""
    low, high = LOW_RATIO * requirement, HIGH_RATIO * requirement
    if low <= abs(value) <= high:
        return None
    side = "below" if abs(value) < low else "above"
    fix = "Check the digits, and that every amount is in the case currency"
    remedy = phrase("problems.ratio_fix")
    if side == "above" and path.endswith("max_amount"):
        fix = "Leave max_amount out if it means 'no limit', or check the digits"
        remedy = phrase("problems.ratio_fix_max_amount")
    span = f"{amount_words(low, currency)} to {amount_words(high, currency)}"
    said = phrase(
        f"problems.ratio_{side}",
        low_ratio=_sci(LOW_RATIO),
        high_ratio=_sci(HIGH_RATIO),
        low=amount_words(low, currency),
        high=amount_words(high, currency),
        got=amount_words(value, currency),
        fix=remedy,
    )
    return Problem(
        path,
        f"must be between {_sci(LOW_RATIO)} and {_sci(HIGH_RATIO)} times R, so from {span} here (got "
        f"{amount_words(value, currency)}, {side} that); amounts further from R cannot be solved reliably, "
        f"as the model works in units of R with tolerances near 1e-9. {fix}",
        said,
    )


def amount_words(value: float, currency: str) -> str:
    """An amount for a message: every digit for everyday amounts, 1e-300 or 1.25e22 for the rest."""
    # money() writes every digit: right for everyday amounts, unreadable for 1e300 or 1e-12.
    if math.isfinite(value) and (value == 0 or 0.01 <= abs(value) < 1e15):
        return money(value, currency)
    return f"{symbol(currency)}{_sci(value)}"


def _sci(value: float) -> str:
    return f"{value:.3g}".replace("e+", "e").replace("e0", "e").replace("e-0", "e-")
