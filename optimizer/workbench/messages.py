"""The optimizer's messages in the reader's language: what binds, the diagnosis, case problems.

The optimizer writes these in English and attaches a :class:`~optimizer.case.phrase.Phrase`
(a catalogue key and its parameters) to each. Here a phrase is said in a language from the
catalogues (tables ``[binds]``, ``[diagnosis]``, ``[problems]``), with money written by the
caller's formatter (the app's ``ui/format.py``, with its 億円 option) through a
:class:`Voice`. With the default voice in English a phrase reads exactly as the optimizer's
English text (tests/test_messages.py), so the English text and the catalogue cannot drift.

A message without a phrase (or whose key no catalogue has) is shown in English: in another
language it comes under a lead-in that says so (``problems.untranslated``), never silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from optimizer.case.errors import Problem
from optimizer.case.money import money, percent, short_money
from optimizer.case.phrase import Listing, Money, Phrase, Rate
from optimizer.coverage.solution import Binding, Fix, Shortfall, Solution
from optimizer.workbench.i18n import DEFAULT, catalogue, text

MoneyFormat = Callable[[float, str], str]


@dataclass(frozen=True)
class Voice:
    """How to say a phrase: the language, and how to write money and rates in it."""

    language: str = DEFAULT
    short: MoneyFormat = short_money
    """Money in sentences (¥2.0bn; 20億円 in the app's Japanese money style)."""
    full: MoneyFormat = money
    """Money written out where the short form would hide the change (¥12,000,000,000)."""
    rate: Callable[[float], str] = percent


ENGLISH = Voice()


def say(phrase: Phrase, voice: Voice = ENGLISH) -> str:
    """``phrase`` in the voice's language, its amounts and rates in the voice's formats.

    Raises
    ------
    KeyError
        If no catalogue has the phrase's key (callers with a fallback check :func:`knows` first).
    """
    values = {name: _value(value, voice) for name, value in phrase.params.items()}
    # Formatted even without values, so that a template's {{ and }} read as { and }.
    template = text(voice.language, phrase.key)
    return template.format(**values)


def knows(phrase: Phrase) -> bool:
    """True when the catalogues can say ``phrase`` (its key and every nested key)."""
    if phrase.key not in catalogue(DEFAULT):
        return False
    return all(_knows_value(value) for value in phrase.params.values())


def _knows_value(value: Any) -> bool:
    if isinstance(value, Phrase):
        return knows(value)
    if isinstance(value, Listing):
        return all(_knows_value(item) for item in value.items)
    return True


def _value(value: Any, voice: Voice) -> Any:
    if isinstance(value, Money):
        return (voice.full if value.full else voice.short)(value.value, value.currency)
    if isinstance(value, Rate):
        return voice.rate(value.value)
    if isinstance(value, Phrase):
        return say(value, voice)
    if isinstance(value, Listing):
        items = [str(_value(item, voice)) for item in value.items]
        if len(items) == 1:
            return items[0]
        separator = text(voice.language, "diagnosis.list_sep")
        pair = "diagnosis.list_or" if value.either else "diagnosis.list_pair"
        return text(voice.language, pair, first=separator.join(items[:-1]), last=items[-1])
    return value


def _said(phrase: Phrase | None, english: str, voice: Voice) -> str:
    # English text when there is no phrase to say (a message built elsewhere, or an old answer).
    if phrase is None or not knows(phrase):
        return english if voice.language == DEFAULT else text(voice.language, "problems.untranslated", message=english)
    return say(phrase, voice)


def binding_text(item: Binding, voice: Voice = ENGLISH) -> str:
    """What binds, in the voice's language."""
    return _said(item.phrase, item.text, voice)


def shortfall_text(item: Shortfall, voice: Voice = ENGLISH) -> str:
    """One shortfall of an infeasible case, in the voice's language."""
    return _said(item.phrase, item.text, voice)


def fix_text(item: Fix, voice: Voice = ENGLISH) -> str:
    """One single change that fixes an infeasible case, in the voice's language."""
    return _said(item.phrase, item.change, voice)


def search_text(solution: Solution, voice: Voice = ENGLISH) -> str:
    """How the fixes were found (``Solution.fix_search``), in the voice's language."""
    return _said(solution.fix_search_phrase, solution.fix_search, voice) if solution.fix_search else ""


def problem_message(item: Problem, voice: Voice = ENGLISH) -> str:
    """A case problem's message (without its field path) in the voice's language.

    In English this is the problem's own message; in another language its phrase, or the
    English message under a lead-in saying it is only in English.
    """
    if voice.language == DEFAULT:
        return item.message
    return _said(item.phrase, item.message, voice)
