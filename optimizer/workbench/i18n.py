"""The words of the app and the board report, in English and Japanese, from catalogue files.

Each language has one catalogue, ``optimizer/workbench/locales/<code>.toml``: tables of
message keys and their text, with ``{named}`` placeholders filled by :func:`text`. Code
holds only keys (``text("ja", "optimise.title")``), never the words, so a translator edits
one file per language. Both catalogues must have the same keys and the same placeholders
(tests/test_i18n.py checks it, and that every key used in the code exists).

Messages made by the optimizer itself (validation problems, what binds, the diagnosis of
an infeasible case) are built in English, for the CLI and the JSON answer, each with a
phrase: its catalogue key (tables ``[binds]``, ``[diagnosis]``, ``[problems]``) and its
parameters. ``optimizer/workbench/messages.py`` says a phrase in either language with the
caller's money format; a message without a phrase is shown in English under a lead-in.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES = {"en": "English", "ja": "日本語"}
"""Language codes (ISO 639-1) and each language's name in itself."""
DEFAULT = "en"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flatten(value, f"{name}.")
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(language: str) -> dict[str, str]:
    """Every message of one language, by dotted key ("case.title")."""
    if language not in LANGUAGES:
        msg = f"no catalogue for language {language!r}; known: {', '.join(LANGUAGES)}"
        raise KeyError(msg)
    with (LOCALES / f"{language}.toml").open("rb") as file:
        return _flatten(tomllib.load(file))


def text(language: str, key: str, **values: Any) -> str:
    """The message ``key`` in ``language``, its ``{placeholders}`` filled from ``values``.

    Raises
    ------
    KeyError
        If no catalogue has the key (a bug: every key used must be in both catalogues).
    """
    template = catalogue(language).get(key)
    if template is None:
        template = catalogue(DEFAULT).get(key)
    if template is None:
        msg = f"no message {key!r} in the {language!r} catalogue"
        raise KeyError(msg)
    return template.format(**values) if values else template
