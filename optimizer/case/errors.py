"""Problems with a case, gathered into one error that explains every one of them.

Each problem names the field path, states the rule, shows the value received and says how
to fix it (style.md, "Errors").
"""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from optimizer.case.phrase import Phrase
from optimizer.case.plan_schema import Growth, InstrumentPlan, Plan, SetAsideShare
from optimizer.case.scenarios_schema import Frequency, RiskLimits, ScenarioSettings, Severity
from optimizer.case.schema import (
    Case,
    Cash,
    Constraints,
    Exchange,
    Guarantee,
    Insurance,
    Kind,
    Liquidity,
    Parametric,
    Requirement,
)

_INSTRUMENT_MODELS: dict[str, type[BaseModel]] = {
    Kind.CASH: Cash,
    Kind.GUARANTEE: Guarantee,
    Kind.INSURANCE: Insurance,
    Kind.PARAMETRIC: Parametric,
}
_SECTION_MODELS: dict[tuple[str, ...], type[BaseModel]] = {
    (): Case,
    ("requirement",): Requirement,
    ("exchange",): Exchange,
    ("constraints",): Constraints,
    ("constraints", "liquidity"): Liquidity,
    ("scenarios",): ScenarioSettings,
    ("scenarios", "frequency"): Frequency,
    ("scenarios", "severity"): Severity,
    ("risk",): RiskLimits,
    ("plan",): Plan,
    ("plan", "growth"): Growth,
    ("plan", "max_set_aside_share"): SetAsideShare,
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a case: where it is and what to do about it."""

    path: str
    """Field path such as ``instruments[2].premium_rate`` (empty for the whole file)."""
    message: str
    """The rule, the value received and the fix, in one sentence."""
    phrase: Phrase | None = field(default=None, compare=False, repr=False)
    """``message`` as a catalogue key and parameters, for other languages; None: English only."""

    def __str__(self) -> str:
        return f"{self.path} {self.message}" if self.path else self.message


_THOUSANDS = re.compile(r"^[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?$")
"""10,000,000,000: a number with commas as thousands separators (YAML reads it as text)."""
MAX_SHOWN = 200
"""A message quotes at most this many characters of a value the user wrote."""
MAX_LISTED = 100
"""CaseError.describe lists at most this many problems (the rest are counted)."""


class _BoundedRepr(reprlib.Repr):
    """repr that stops early: a huge or deeply shared value (YAML aliases) costs no more than its prefix."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxlist, self.maxtuple, self.maxdict = 3, 6, 6, 6
        self.maxset = self.maxfrozenset = self.maxdeque = self.maxarray = 6
        self.maxstring = self.maxother = self.maxlong = MAX_SHOWN

    def repr_int(self, x: int, level: int) -> str:
        # repr of a 5,000-digit integer raises ValueError (int_max_str_digits); say its size instead.
        return f"<a {_digits(x):,}-digit number>" if x.bit_length() > 200 else super().repr_int(x, level)


_REPR = _BoundedRepr()


def shown(value: Any, limit: int = MAX_SHOWN) -> str:
    """``repr(value)`` cut to about ``limit`` characters, without ever building the whole repr.

    Every message that quotes a user's value goes through this, so that a value expanded
    from YAML aliases or a megabyte-long string cannot make the message itself the problem.
    """
    text = _REPR.repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def _digits(value: int) -> int:
    # Exact enough for a message, and safe for integers too long to turn into text.
    return int(abs(value).bit_length() * 0.30103) + 1


class CaseError(ValueError):
    """A case that cannot be used, with every problem found in it."""

    def __init__(self, problems: Sequence[Problem], source: str = "the case") -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self.describe())

    def describe(self) -> str:
        """All problems as a readable block of text."""
        count = len(self.problems)
        head = f"{self.source} has {count:,} problem{'s' if count != 1 else ''}:"
        lines = [head, *(f"  - {problem}" for problem in self.problems[:MAX_LISTED])]
        if count > MAX_LISTED:
            lines.append(f"  ... and {count - MAX_LISTED:,} more; fix these first")
        return "\n".join(lines)


def format_path(loc: Iterable[Any]) -> str:
    """Render a pydantic location as ``instruments[2].premium_rate``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = str(part) if len(str(part)) <= 60 else shown(str(part), 60)  # a key the user wrote
            text += f".{name}" if text else name
    return text


def problems_from_validation(error: ValidationError) -> list[Problem]:
    """Translate pydantic's errors into problems that speak the case file's language."""
    problems = []
    for item in error.errors(include_url=False):
        if item["type"] == "too_short" and item.get("input"):
            continue  # pydantic's echo of failed items, not an empty list
        loc, kind_tag = _strip_union_tag(item["loc"])
        if loc and loc[-1] == "[key]":  # a bad mapping key (fx.eur): point at the key itself
            loc = loc[:-1]
        problems.append(Problem(format_path(loc), _explain(item, loc, kind_tag)))
    return problems


def _strip_union_tag(loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], str | None]:
    # pydantic puts the discriminator value into the location of a tagged union:
    # ('instruments', 2, 'insurance', 'limit'); the user wrote instruments[2].limit.
    if len(loc) >= 3 and loc[0] == "instruments" and loc[2] in _INSTRUMENT_MODELS:
        return (loc[0], loc[1], *loc[3:]), str(loc[2])
    return loc, None


def _explain(item: Any, loc: tuple[Any, ...], kind_tag: str | None) -> str:
    kind, received, ctx = item["type"], item.get("input"), item.get("ctx") or {}
    if kind == "missing":
        return _explain_missing(loc, kind_tag)
    if kind == "extra_forbidden":
        return _explain_unknown_field(loc, kind_tag, received)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        allowed = ", ".join(_INSTRUMENT_MODELS)
        got = ctx.get("tag", "nothing")
        return f"needs `kind` to be one of {allowed} (got {shown(got)}); say what kind of instrument this is"
    if kind == "float_type":
        hint = ""
        if isinstance(received, str) and received.strip().endswith("%"):
            hint = "; write percentages as fractions, so 3.5% is 0.035"
        elif isinstance(received, str) and _THOUSANDS.match(received.strip()):
            plain = received.strip().replace(",", "_")
            hint = f"; commas are not thousands separators in a case file: write {plain} or leave them out"
        elif isinstance(received, str):
            hint = "; write plain digits without quotes (underscores such as 2_000_000 are fine)"
        return f"must be a number (got {shown(received)}){hint}"
    if kind in ("int_type", "int_from_float"):
        return f"must be a whole number (got {shown(received)})"
    if kind == "bool_type":
        return f"must be true or false (got {shown(received)})"
    if kind in ("string_type",):
        return f"must be text (got {shown(received)}); put it in quotes"
    if kind == "string_pattern_mismatch" and (loc == ("currency",) or loc[:1] == ("fx",)):
        return f"must be a three-letter ISO 4217 code in capitals such as JPY or EUR (got {shown(received)})"
    if kind == "string_too_short":
        return f"must not be empty (got {shown(received)})"
    if kind == "too_short" and loc == ("instruments",):
        return "must list at least one instrument (got an empty list); add the cash, guarantees or layers on offer"
    if kind == "enum":
        return f"must be one of {ctx.get('expected', '')} (got {shown(received)})"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping of fields (got {shown(received)})"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list (got {shown(received)})"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more (got {shown(received)})"
    # Our own range checks (fields.py) already say rule, value and fix.
    return f"{item['msg']}" if item["type"] not in ("value_error",) else f"{item['msg']} (got {shown(received)})"


def _model_at(loc: tuple[Any, ...], kind_tag: str | None) -> type[BaseModel] | None:
    if len(loc) >= 2 and loc[0] == "instruments" and isinstance(loc[1], int):
        return _INSTRUMENT_MODELS.get(kind_tag or "")
    if len(loc) == 3 and loc[:2] == ("plan", "instruments"):
        return InstrumentPlan
    return _SECTION_MODELS.get(tuple(loc))


def _explain_missing(loc: tuple[Any, ...], kind_tag: str | None) -> str:
    field = loc[-1] if loc else ""
    if field == "counterparty" and kind_tag:
        return f"is required for {kind_tag} instruments (got nothing); name the bank, insurer or dealer that pays"
    model = _model_at(loc[:-1], kind_tag)
    doc = ""
    if model is not None and field in model.model_fields:
        description = model.model_fields[field].description
        doc = f" ({description.rstrip('.')})" if description else ""
    return f"is required (got nothing); add it{doc}"


def _explain_unknown_field(loc: tuple[Any, ...], kind_tag: str | None, received: Any) -> str:
    field = str(loc[-1]) if loc else ""
    model = _model_at(loc[:-1], kind_tag)
    known = list(model.model_fields) if model is not None else []
    where = f"{kind_tag} instruments" if kind_tag else (format_path(loc[:-1]) or "a case")
    close = difflib.get_close_matches(field, known, n=1)
    fix = f"did you mean {close[0]!r}?" if close else "remove it or fix the spelling."
    fields = f" Known fields: {', '.join(known)}." if known else ""
    return f"is not a field of {where} (got {shown(received)}); {fix}{fields}"
