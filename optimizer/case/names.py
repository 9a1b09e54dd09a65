"""Counterparty names: one key per counterparty, however its name is spelled.

"Bank A", "bank a", "Bank A ", " BANK  A" and "Bank A" written with a non-breaking space are
one bank. Caps per counterparty, their independent re-check, default probabilities and the
reports all group instruments by ``counterparty_key``, so a case cannot take 100% of R from
one bank by spelling its name five ways. Instruments keep the name as written; the answer
lists every group that was written in more than one way (``merged_spellings``), so the
merge is never silent.

The key is the name after Unicode NFKC (compatibility forms: a non-breaking or full-width
space becomes a space, full-width letters become ASCII), with invisible format characters
(category Cf: zero-width space, byte-order mark, soft hyphen) removed, case-folded
(``str.casefold``: "STRASSE" and "Straße" agree), NFKC again (case folding can leave
unnormalised text), and runs of whitespace collapsed to one space and trimmed. Nothing
else is merged: "Bank A" and "Bank A Ltd" stay two counterparties.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


def _visible_nfkc(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def counterparty_key(name: str) -> str:
    """The key two spellings of one counterparty share (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", _visible_nfkc(name).casefold())
    return " ".join(folded.split())


def tidy_name(name: str) -> str:
    """A spelling fit to show: NFKC, invisible characters removed, whitespace collapsed; case kept."""
    return " ".join(_visible_nfkc(name).split())


@dataclass(frozen=True)
class CounterpartyGroup:
    """One counterparty and every spelling of its name found in the case."""

    key: str
    """``counterparty_key`` of every spelling."""
    name: str
    """The name shown for the group: the first spelling in case order, tidied (``tidy_name``)."""
    spellings: tuple[str, ...]
    """The distinct spellings as written, in case order."""


def counterparty_groups(names: Iterable[str | None]) -> tuple[CounterpartyGroup, ...]:
    """Names grouped by ``counterparty_key``, in order of first appearance; None is skipped."""
    spellings: dict[str, list[str]] = {}
    for name in names:
        if name is None:
            continue
        seen = spellings.setdefault(counterparty_key(name), [])
        if name not in seen:
            seen.append(name)
    return tuple(
        CounterpartyGroup(key=key, name=tidy_name(written[0]), spellings=tuple(written))
        for key, written in spellings.items()
    )


def merged_spellings(names: Iterable[str | None]) -> dict[str, tuple[str, ...]]:
    """Shown name -> spellings, for every counterparty written in more than one way."""
    return {group.name: group.spellings for group in counterparty_groups(names) if len(group.spellings) > 1}


def spelling_words(spellings: Iterable[str]) -> str:
    r"""Spellings quoted so that stray spaces and invisible characters show ('Bank\xa0A')."""
    return ", ".join(repr(spelling) for spelling in spellings)
