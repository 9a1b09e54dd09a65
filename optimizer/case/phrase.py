"""A message as a catalogue key and its parameters, so it can be said in any language.

The optimizer words its messages in English (``Binding.text``, ``Shortfall.text``,
``Fix.change``, ``Problem.message``: the CLI and the JSON answer). Each such message may also
carry a :class:`Phrase`: the key of the same message in the language catalogues
(``optimizer/workbench/locales/*.toml``) and its parameters as data, numbers as numbers,
amounts as :class:`Money`, rates as :class:`Rate`, ids and field paths as text, and parts of
the sentence as nested phrases or a :class:`Listing` of them. The workbench renders a phrase in
the reader's language with the reader's money format (``optimizer/workbench/messages.py``);
rendered in English it is the English message exactly (tests/test_messages.py checks it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Money:
    """An amount of money, written by the reader's money format (short form unless ``full``)."""

    value: float
    currency: str
    full: bool = False


@dataclass(frozen=True)
class Rate:
    """A fraction written as a percentage (0.035 -> 3.5%)."""

    value: float


@dataclass(frozen=True)
class Phrase:
    """A message key of the catalogues and the values of its ``{placeholders}``."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Listing:
    """Phrases (or plain values such as ids) said as one list: "a, b and c" in English."""

    items: tuple[Any, ...]
    either: bool = False
    """True for a choice: "a, b or c"."""


def phrase(key: str, /, **params: Any) -> Phrase:
    """``Phrase(key, params)`` written as a call."""
    return Phrase(key, params)


def without_phrase(item: Any) -> dict[str, Any]:
    """A message dataclass as a plain dict for JSON, without its phrase (the answer is unchanged)."""
    plain = asdict(item)
    plain.pop("phrase", None)
    return plain
