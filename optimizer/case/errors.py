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

from optimizer.case.currencies import COMMON_NAMES
from optimizer.case.phrase import Listing, Phrase, phrase
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
        said = _explain(item, loc, kind_tag)
        problems.append(Problem(format_path(loc), said.english, said.phrase))
    return problems


def _strip_union_tag(loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], str | None]:
    # pydantic puts the discriminator value into the location of a tagged union:
    # ('instruments', 2, 'insurance', 'limit'); the user wrote instruments[2].limit.
    if len(loc) >= 3 and loc[0] == "instruments" and loc[2] in _INSTRUMENT_MODELS:
        return (loc[0], loc[1], *loc[3:]), str(loc[2])
    return loc, None


@dataclass(frozen=True)
class _Said:
    """A problem's message in English and as a phrase (keys under ``problems.``)."""

    english: str
    phrase: Phrase


def _said(english: str, key: str, **params: Any) -> _Said:
    return _Said(english, phrase(f"problems.{key}", **params))


def _explain(item: Any, loc: tuple[Any, ...], kind_tag: str | None) -> _Said:
    kind, received, ctx = item["type"], item.get("input"), item.get("ctx") or {}
    got = shown(received)
    if kind == "missing":
        return _explain_missing(loc, kind_tag)
    if kind == "extra_forbidden":
        return _explain_unknown_field(loc, kind_tag, received)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        allowed = ", ".join(_INSTRUMENT_MODELS)
        tag = shown(ctx.get("tag", "nothing"))
        english = f"needs `kind` to be one of {allowed} (got {tag}); say what kind of instrument this is"
        return _said(english, "kind_tag", allowed=allowed, got=tag)
    if kind == "float_type":
        return _explain_number(received)
    if kind in ("int_type", "int_from_float"):
        return _said(f"must be a whole number (got {got})", "int_type", got=got)
    if kind == "bool_type":
        return _said(f"must be true or false (got {got})", "bool_type", got=got)
    if kind in ("string_type",):
        return _said(f"must be text (got {got}); put it in quotes", "string_type", got=got)
    if kind == "string_pattern_mismatch" and (loc == ("currency",) or loc[:1] == ("fx",)):
        english = f"must be a three-letter ISO 4217 code in capitals such as JPY or EUR (got {got})"
        return _said(english, "currency_pattern", got=got)
    if kind == "string_too_short":
        return _said(f"must not be empty (got {got})", "string_too_short", got=got)
    if kind == "too_short" and loc == ("instruments",):
        english = "must list at least one instrument (got an empty list); add the cash, guarantees or layers on offer"
        return _said(english, "no_instruments")
    if kind == "enum":
        expected = ctx.get("expected", "")
        return _said(f"must be one of {expected} (got {got})", "enum", expected=_choices(expected), got=got)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _said(f"must be a mapping of fields (got {got})", "mapping_type", got=got)
    if kind in ("list_type", "tuple_type"):
        return _said(f"must be a list (got {got})", "list_type", got=got)
    if kind == "greater_than_equal":
        return _said(f"must be {ctx.get('ge')} or more (got {got})", "greater_than_equal", ge=ctx.get("ge"), got=got)
    # Our own range checks (fields.py) already say rule, value and fix; pydantic's own types
    # (greater_than, literal_error, ...) say the rule: each is keyed by its type and ctx.
    if kind == "iso_4217":
        return _Said(item["msg"], phrase("problems.pydantic.iso_4217", value=ctx.get("value"), fix=_currency_fix(ctx)))
    params = {name: _bound(name, value) for name, value in ctx.items() if not isinstance(value, BaseException)}
    if "expected" in params:
        params["expected"] = _choices(str(params["expected"]))
    if kind == "value_error":
        return _Said(f"{item['msg']} (got {got})", phrase("problems.pydantic.value_error", **params, got=got))
    return _Said(f"{item['msg']}", phrase(f"problems.pydantic.{kind}", **params))


def _choices(expected: str) -> Listing | str:
    # pydantic lists the values allowed as "'a', 'b' or 'c'": a choice each language says its way.
    head, _, last = expected.rpartition(" or ")
    options = (*head.split(", "), last) if head else (expected,)
    choice = Listing(options, either=True)
    return choice if ", ".join(options[:-1]) + (" or " if head else "") + options[-1] == expected else expected


def _bound(name: str, value: Any) -> Any:
    # pydantic writes a whole-number bound without ".0" ("greater than 0"): so does the phrase.
    if name in ("gt", "ge", "lt", "le", "multiple_of") and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _explain_number(received: Any) -> _Said:
    got = shown(received)
    if isinstance(received, str) and received.strip().endswith("%"):
        hint = "; write percentages as fractions, so 3.5% is 0.035"
        return _said(f"must be a number (got {got}){hint}", "number_percent", got=got)
    if isinstance(received, str) and _THOUSANDS.match(received.strip()):
        plain = received.strip().replace(",", "_")
        hint = f"; commas are not thousands separators in a case file: write {plain} or leave them out"
        return _said(f"must be a number (got {got}){hint}", "number_commas", got=got, plain=plain)
    if isinstance(received, str):
        hint = "; write plain digits without quotes (underscores such as 2_000_000 are fine)"
        return _said(f"must be a number (got {got}){hint}", "number_quoted", got=got)
    return _said(f"must be a number (got {got})", "number", got=got)


def _currency_fix(ctx: dict[str, Any]) -> Phrase:
    # The same three cases as optimizer/case/currencies.py words in English.
    suggestion = COMMON_NAMES.get(str(ctx.get("value")))
    if suggestion:
        return phrase("problems.currency_did_you_mean", code=suggestion)
    if suggestion == "":
        return phrase("problems.currency_crypto")
    return phrase("problems.currency_use_fiat")


def _model_at(loc: tuple[Any, ...], kind_tag: str | None) -> type[BaseModel] | None:
    if len(loc) >= 2 and loc[0] == "instruments" and isinstance(loc[1], int):
        return _INSTRUMENT_MODELS.get(kind_tag or "")
    if len(loc) == 3 and loc[:2] == ("plan", "instruments"):
        return InstrumentPlan
    return _SECTION_MODELS.get(tuple(loc))


def _explain_missing(loc: tuple[Any, ...], kind_tag: str | None) -> _Said:
    field = loc[-1] if loc else ""
    if field == "counterparty" and kind_tag:
        english = f"is required for {kind_tag} instruments (got nothing); name the bank, insurer or dealer that pays"
        return _said(english, "missing_counterparty", kind=phrase(f"kind.{kind_tag}"))
    model = _model_at(loc[:-1], kind_tag)
    description = None
    if model is not None and field in model.model_fields:
        description = model.model_fields[field].description
    if not description:
        return _said("is required (got nothing); add it", "missing")
    doc = description.rstrip(".")
    # The field's description is the schema's English documentation, quoted as it is.
    return _said(f"is required (got nothing); add it ({doc})", "missing_described", doc=doc)


def _explain_unknown_field(loc: tuple[Any, ...], kind_tag: str | None, received: Any) -> _Said:
    field = str(loc[-1]) if loc else ""
    model = _model_at(loc[:-1], kind_tag)
    known = list(model.model_fields) if model is not None else []
    path = format_path(loc[:-1])
    if kind_tag:
        where, at = f"{kind_tag} instruments", phrase("problems.where_kind", kind=phrase(f"kind.{kind_tag}"))
    elif path:
        where, at = path, phrase("problems.where_path", path=path)
    else:
        where, at = "a case", phrase("problems.where_case")
    close = difflib.get_close_matches(field, known, n=1)
    if close:
        fix, remedy = f"did you mean {close[0]!r}?", phrase("problems.did_you_mean", name=repr(close[0]))
    else:
        fix, remedy = "remove it or fix the spelling.", phrase("problems.remove_it")
    fields = f" Known fields: {', '.join(known)}." if known else ""
    listed = phrase("problems.known_fields", fields=", ".join(known)) if known else phrase("problems.nothing")
    got = shown(received)
    english = f"is not a field of {where} (got {got}); {fix}{fields}"
    return _said(english, "unknown_field", where=at, got=got, fix=remedy, fields=listed)
