"""A strict YAML reader for case files: one reading only, the one a person makes.

PyYAML follows YAML 1.1, which reads some plain text as numbers nobody writing a case means:
``010`` as 8 (octal), ``1:30`` as 90 (base 60), ``0b1010`` as 10, ``0x10`` as 16. YAML 1.2
parsers read most of these differently again (``010`` as 10, ``1:30`` as text), so the same
file would mean different amounts to different tools. Such numbers are refused with the line
and the fix (write plain decimal digits, or quote text) rather than read either way: the
user knows what was meant; we would only be guessing, and a guessed amount is a wrong answer
reported as right. For the same reason YAML 1.1 merge keys (``<<``), which YAML 1.2 reads as an
ordinary key, are refused, and dates stay text (YAML 1.1 would turn ``2025-01-01`` into a date
that no case field takes).

Also refused, with the line: a key given twice in one mapping, a key that is a list or a
mapping, nesting deeper than MAX_DEPTH (checked while composing, before Python's stack
runs out), and integers of more than MAX_DIGITS digits. ``10,000,000,000`` inside ``{ }``,
where commas separate entries, is explained as thousands separators.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from optimizer.case.errors import shown
from optimizer.case.phrase import Phrase, phrase
from optimizer.case.raw import MAX_DEPTH

MAX_DIGITS = 100
"""Longest integer read (in digits); MAX_NUMBER has 19, so anything longer is refused anyway,
but Python cannot even convert more than 4,300 digits, so the limit applies while reading."""

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_NULL = "tag:yaml.org,2002:null"
_AMBIGUOUS = (
    (re.compile(r"^[-+]?0b[0-1_]+$"), "binary", 2),
    (re.compile(r"^[-+]?0x[0-9a-fA-F_]+$"), "hexadecimal", 16),
    (re.compile(r"^[-+]?0[0-9_]+$"), "octal", 8),
    (re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$"), "base 60 (sexagesimal)", 60),
)


class YamlReadError(ValueError):
    """The text is YAML, but not a reading we accept; the message names the line and the fix."""

    def __init__(self, message: str, said: Phrase | None = None) -> None:
        super().__init__(message)
        self.phrase = said
        """The message as a phrase for other languages (optimizer/case/phrase.py), if it has one."""


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that reads only what a person would read (see the module docstring)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Compose as PyYAML does, refusing nesting deeper than MAX_DEPTH before recursing further."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                msg = (
                    f"line {mark.line + 1}: the file is nested more than {MAX_DEPTH} levels deep; a case needs 4 "
                    "(case, instruments, an instrument, a field): check the brackets and indentation"
                )
                raise YamlReadError(msg, phrase("problems.yaml_too_deep", line=mark.line + 1, most=MAX_DEPTH))
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _source_line(node: yaml.Node) -> str:
    mark = node.start_mark
    buffer, pointer = str(mark.buffer or ""), int(mark.pointer)
    start = buffer.rfind("\n", 0, pointer) + 1
    end = buffer.find("\n", pointer)
    return buffer[start : end if end >= 0 else len(buffer)].strip()


def _after_digits_and_comma(node: yaml.Node) -> bool:
    # `10,000` inside [ ] or { }: this scalar follows "<digit>," in the text.
    mark = node.start_mark
    buffer, pointer = str(mark.buffer or ""), int(mark.pointer)
    return pointer >= 2 and buffer[pointer - 1] == "," and buffer[pointer - 2].isdigit()


def _thousands_error(node: yaml.Node) -> YamlReadError:
    text = shown(_source_line(node), 120)
    return YamlReadError(
        f"line {_line(node)}: {text} has a number with commas inside [ ] or {{ }}, where commas separate "
        "entries, so it reads as several values; commas are not thousands separators in a case file: "
        "write 10_000_000_000 or 10000000000",
        phrase("problems.yaml_flow_commas", line=_line(node), text=text),
    )


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, int] = {}
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            msg = (
                f"line {_line(key_node)}: `<<` (a YAML 1.1 merge key) is not accepted: YAML 1.2 reads it as an "
                "ordinary key, so the file would mean different things to different tools, and it lets one value "
                "silently replace another; write the fields out in each mapping "
                "(an alias *name of a whole value is fine)"
            )
            raise YamlReadError(msg, phrase("problems.yaml_merge_key", line=_line(key_node)))
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
            msg = f"line {_line(key_node)}: a key is {kind}; keys are field names: write them as plain text"
            which = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
            said = phrase("problems.yaml_key", line=_line(key_node), kind=phrase(f"problems.type.{which}"))
            raise YamlReadError(msg, said)
        if (
            node.flow_style
            and key_node.style is None
            and re.fullmatch(r"[0-9]+", key_node.value)
            and value_node.tag == _NULL
            and _after_digits_and_comma(key_node)
        ):
            raise _thousands_error(key_node)
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            lines = f"lines {seen[key]} and {_line(key_node)}"
            msg = f"key {shown(key, 60)} appears twice in one mapping ({lines}); keep one"
            said = phrase("problems.yaml_duplicate_key", name=shown(key, 60), first=seen[key], second=_line(key_node))
            raise YamlReadError(msg, said)
        seen[key] = _line(key_node)
    return loader.construct_mapping(node, deep=deep)


def _refuse_ambiguous(loader: StrictLoader, node: yaml.ScalarNode, number: bool) -> None:
    text = str(node.value)
    if node.style is not None:
        return  # quoted or block text was written as text; only plain scalars are read as numbers
    for pattern, notation, base in _AMBIGUOUS:
        if not pattern.match(text):
            continue
        if base == 8 and _after_digits_and_comma(node):
            raise _thousands_error(node)
        try:
            value = loader.construct_yaml_int(node) if number else loader.construct_yaml_float(node)
            reading = f" (read as {value:g})"
            read = phrase("problems.yaml_read_as", value=value)
        except (ValueError, OverflowError):
            reading = ""
            read = phrase("problems.nothing")
        if base == 8:
            sign = "-" if text.startswith("-") else ""
            plain = sign + (text.lstrip("+-").replace("_", "").lstrip("0") or "0")
            fix = f"if you mean the decimal number {plain}, write {plain} (no leading zero)"
            remedy = phrase("problems.yaml_fix_octal", plain=plain)
        elif base == 60:
            fix = "write the number in plain decimal digits (a time or a ratio goes in quotes)"
            remedy = phrase("problems.yaml_fix_sexagesimal")
        else:
            fix = "write the number in plain decimal digits"
            remedy = phrase("problems.yaml_fix_decimal")
        written = shown(text, 60).strip(chr(39))
        msg = (
            f"line {_line(node)}: `{written}` is {notation} notation in YAML 1.1{reading}, "
            f"which other YAML readers take differently; {fix}, or put it in quotes if it is text"
        )
        said = phrase(
            "problems.yaml_notation",
            line=_line(node),
            text=written,
            notation=phrase(f"problems.notation.{notation.split()[-1].strip('()')}"),
            read=read,
            fix=remedy,
        )
        raise YamlReadError(msg, said)


def _construct_int(loader: StrictLoader, node: yaml.ScalarNode) -> Any:
    _refuse_ambiguous(loader, node, number=True)
    digits = sum(char.isdigit() for char in str(node.value))
    if digits > MAX_DIGITS:
        msg = (
            f"line {_line(node)}: a number with {digits:,} digits; the largest number a case may hold is "
            f"1e18 (19 digits): check the digits"
        )
        raise YamlReadError(msg)
    return loader.construct_yaml_int(node)


def _construct_float(loader: StrictLoader, node: yaml.ScalarNode) -> Any:
    _refuse_ambiguous(loader, node, number=False)
    return loader.construct_yaml_float(node)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
StrictLoader.add_constructor(_INT, _construct_int)
StrictLoader.add_constructor(_FLOAT, _construct_float)
# PyYAML follows YAML 1.1, where 1e9 and 2.5e9 are strings; a user writing them means numbers.
StrictLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)
# Dates stay text: no case field takes a date, and a description such as 2025-01-01 is text.
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in StrictLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str) -> Any:
    """Parse YAML text with StrictLoader.

    Raises
    ------
    YamlReadError
        For the readings refused above (with the line and the fix).
    yaml.YAMLError
        For text that is not YAML at all.
    """
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
