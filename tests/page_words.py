"""What a page shows in words, for the tests that switch languages (``from page_words import ...``).

``shown_text`` gathers every word of the page's main area an AppTest can read: headings,
Markdown, captions, messages, metric and widget labels and their help, table headers and cells,
download buttons, and every string of the Vega-Lite charts (titles, axes, legends).
``english_fragments`` are the fixed pieces of a catalogue table's English messages (the text
between placeholders), long enough that finding one in the Japanese page means it was left in
English.
"""

import json
import re
import string

from optimizer.workbench.i18n import catalogue
from ui.text import unescape

_BLOCKS = ("title", "subheader", "header", "markdown", "caption", "info", "warning", "error", "success")
_WIDGETS = ("selectbox", "slider", "number_input", "button", "toggle", "text_input", "radio")


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def chart_strings(app):
    """Every string in the specs of the page's Vega-Lite charts (titles, axes, legends, scales)."""
    return [text for chart in app.main.get("vega_lite_chart") for text in _strings(json.loads(chart.proto.spec))]


def shown_text(app):
    """The words of the page's main area, as the reader sees them (user text unescaped)."""
    main = app.main
    parts = [element.value for kind in _BLOCKS for element in getattr(main, kind)]
    parts += [text for metric in main.metric for text in (metric.label, metric.value, metric.proto.help)]
    parts += [text for kind in _WIDGETS for widget in getattr(main, kind) for text in (widget.label, widget.help or "")]
    parts += [text for button in main.get("download_button") for text in (button.proto.label, button.proto.help)]
    for frame in main.dataframe:
        parts += [str(column) for column in frame.value.columns]
        parts += [str(cell) for cell in frame.value.to_numpy().ravel()]
    parts += chart_strings(app)
    return unescape("\n".join(str(part) for part in parts))


def english_fragments(table, shortest=12):
    """The fixed text of every English message of a catalogue table, in pieces of ``shortest`` characters or more."""
    pieces = set()
    for key, template in catalogue("en").items():
        if not key.startswith(f"{table}."):
            continue
        for literal, *_ in string.Formatter().parse(template):
            # Code in backticks (a field name, a file name) is the same in every language.
            for piece in re.sub(r"`[^`]*`", "\n", literal).replace("**", "\n").splitlines():
                if len(piece.strip(" .,;:()")) >= shortest:
                    pieces.add(piece.strip(" .,;:()"))
    return pieces


def english_leftovers(app, table, ignore=()):
    """The English pieces of ``table`` found on the page (empty when all of it is in Japanese).

    ``ignore``: text on the page that is English on purpose (messages the optimizer builds,
    which docs/app-conventions.md keeps in English for now).
    """
    text = shown_text(app)
    for words in ignore:
        text = text.replace(words, "")
    return sorted(piece for piece in english_fragments(table) if piece in text)
