"""User text on the page: escaped before it meets Markdown.

Streamlit renders Markdown in ``st.markdown``, ``st.caption``, ``st.error`` and friends,
``st.toast``, widget and metric labels, button labels and ``help`` tooltips. A case name,
an instrument id, a counterparty, a file name or a scenario name typed by someone else
(an uploaded case) must show as the characters typed: ``[x](https://...)`` must not become
a link, ``![x](https://...)`` must not load an image, ``**x**`` must not turn bold.

Rule for every page (docs/app-conventions.md): text that did not come from this code or
its catalogue goes through :func:`esc` (or :func:`code` inside backticks) before it is
put in a Markdown string. Plain-text places (dataframe cells, ``st.text``, ``st.code``,
selectbox options, download file names) need no escaping.
"""

from __future__ import annotations

import re

# Every ASCII character with a meaning in CommonMark, GitHub-flavoured Markdown or
# Streamlit's extensions (``:red[...]`` directives, ``$math$``, ``~~strike~~``, tables).
# CommonMark lets any ASCII punctuation be backslash-escaped, so escaping one too many is
# harmless; one too few is a hole.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=&\"'^])")
# Line breaks and other control characters would start new blocks (a heading, a list).
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
# Some syntax is found in the parsed text, after backslash escapes are undone, so escaping
# does not stop it: ``:smile:`` and ``:material/x:`` shortcodes, and GitHub's bare links
# (``https://x``, ``www.x.com``, ``a@b.com``). An invisible word joiner (U+2060) after the
# colon, after "www" and after "@" breaks each pattern without changing what is shown.
_JOINER = "\u2060"
_BARE_LINK = re.compile(r"(?i)(www)(\\\.)|(@)")


def esc(text: object) -> str:
    """``text`` made safe to put inside a Markdown string: it renders as typed, on one line."""
    flat = _CONTROL.sub(" ", str(text))
    escaped = _SPECIAL.sub(r"\\\1", flat).replace("\\:", "\\:" + _JOINER)
    return _BARE_LINK.sub(lambda match: f"{match[1]}{_JOINER}{match[2]}" if match[1] else f"@{_JOINER}", escaped)


def code(text: object) -> str:
    """``text`` as inline code: a backtick fence longer than any run of backticks inside it."""
    flat = _CONTROL.sub(" ", str(text))
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def unescape(markdown: str) -> str:
    """The text a reader sees in an escaped string (for tests and logs)."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("\u2060", ""))
