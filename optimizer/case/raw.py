"""What any case data must be before its fields are read: plain, bounded and finite.

YAML and JSON can hold things no case needs and that would make the checks themselves fail:
aliases that expand a 600-byte file into billions of values, nesting deep enough to exhaust
the interpreter's stack, a structure that contains itself, keys that are lists or numbers,
text with lone surrogates (which loads, then cannot be printed), and numbers too large to be
amounts. ``raw_problems`` walks the data once, counting shared (aliased) parts as often as
they are used but visiting each only once, so it finishes in time proportional to the file
whatever the file expands to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from optimizer.case.errors import Problem, format_path, shown
from optimizer.case.phrase import Phrase, phrase

MAX_NUMBER = 1e18
"""Largest size of any number in a case. ¥1e18 is about a hundred times world GDP in yen; beyond
it a sum of amounts can no longer be held to one unit of currency in double precision."""
MAX_DEPTH = 20
"""Deepest nesting of mappings and lists accepted (a case needs 4: case, instruments, an
instrument, a field)."""
MAX_VALUES = 500_000
"""Most values (every mapping, list, key and scalar, with YAML aliases counted each time they
are used) accepted in one case: about 20 times a case with 2,000 instruments."""

_CONTAINERS = (dict, list, tuple)
"""Mappings and sequences (tuples too: data built in code may use them for lists)."""


@dataclass
class _Walk:
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False
    """True when the data must not reach the field checks at all (too big, too deep, a cycle,
    a key that is not text): they would hang, overflow the stack or fail."""
    size: dict[int, tuple[int, int]] = field(default_factory=dict)
    """id of a mapping or list -> (values it expands to, its depth), once measured."""

    def add(self, path: tuple[Any, ...], message: str, fatal: bool = False, said: Phrase | None = None) -> None:
        self.fatal = self.fatal or fatal
        if len(self.problems) < 1000:  # the message lists 100; more only costs memory
            where = format_path(path)
            whole = not where and not message.startswith("the ")
            text = f"the case {message}" if whole else message
            if said is not None and whole:
                said = phrase("problems.the_case", message=said)
            self.problems.append(Problem(where, text, said))


def raw_problems(data: Any) -> tuple[list[Problem], bool]:
    """Problems with the shape and scalars of raw case data, and whether any is fatal.

    A fatal problem (more than MAX_VALUES values, deeper than MAX_DEPTH, a structure that
    contains itself, a key that is not text) means the field checks must not run; the others
    (a number that is not finite or is larger than MAX_NUMBER, text that is not valid Unicode,
    a value of a type no case field takes) are reported alongside the field checks.
    """
    walk = _Walk()
    _measure(data, walk)
    if not walk.fatal and isinstance(data, _CONTAINERS):
        values, depth = walk.size[id(data)]
        if values > MAX_VALUES:
            walk.add((), f"the file expands to {values:,} values, more than the {MAX_VALUES:,} a case may hold "
                     "(YAML aliases such as *name count each time they are used); "
                     "write the case out without nested aliases", fatal=True,
                     said=phrase("problems.too_many_values", values=values, most=MAX_VALUES))  # fmt: skip
        if depth > MAX_DEPTH:
            walk.add((), f"the file is nested {depth:,} levels deep, more than the {MAX_DEPTH} a case may use "
                     "(a case needs 4: case, instruments, an instrument, a field); "
                     "check the brackets and indentation", fatal=True,
                     said=phrase("problems.too_deep", depth=depth, most=MAX_DEPTH))  # fmt: skip
    return walk.problems, walk.fatal


def _measure(root: Any, walk: _Walk) -> None:
    # Iterative post-order walk: recursion would fail on the very inputs it must refuse.
    stack: list[tuple[Any, tuple[Any, ...], bool]] = [(root, (), False)]
    open_ids: set[int] = set()
    while stack:
        value, path, done = stack.pop()
        if not isinstance(value, _CONTAINERS):
            _check_scalar(value, path, walk)
            continue
        key = id(value)
        if done:
            children = value.values() if isinstance(value, dict) else value
            measured = [walk.size.get(id(c), (1, 0)) if isinstance(c, _CONTAINERS) else (1, 0) for c in children]
            keys = len(value) if isinstance(value, dict) else 0
            values = 1 + keys + sum(m[0] for m in measured)
            walk.size[key] = (values, 1 + max((m[1] for m in measured), default=0))
            open_ids.discard(key)
            continue
        if key in walk.size:
            continue  # an alias of a part already measured (and already checked)
        if key in open_ids:
            walk.add(path, "contains itself (a YAML alias inside its own anchor); a case cannot be circular",
                     fatal=True, said=phrase("problems.circular"))  # fmt: skip
            walk.size[key] = (1, 0)
            continue
        if len(path) > MAX_DEPTH:
            said = phrase("problems.nested_at", most=MAX_DEPTH, at=format_path(path[:6]))
            walk.add((), f"the file is nested more than {MAX_DEPTH} levels deep (at {format_path(path[:6])}...); "
                     "a case needs 4 levels: case, instruments, an instrument, a field", fatal=True,
                     said=said)  # fmt: skip
            return
        open_ids.add(key)
        stack.append((value, path, True))
        # Children go on the stack last-first, so that problems come out in the file's order.
        if isinstance(value, dict):
            for name, child in reversed(value.items()):
                if not isinstance(name, str):
                    said = phrase("problems.key_not_text", key=shown(name), type=_type_phrase(name))
                    walk.add(path, f"has a key {shown(name)} that is not text ({_type_words(name)}); "
                             "keys are field names or currency codes: write them as text", fatal=True,
                             said=said)  # fmt: skip
                    continue
                _check_text(name, path, walk, "key")
                stack.append((child, (*path, name), False))
        else:
            stack.extend((value[index], (*path, index), False) for index in range(len(value) - 1, -1, -1))


def _check_scalar(value: Any, path: tuple[Any, ...], walk: _Walk) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        _check_text(value, path, walk, "text")
    elif isinstance(value, int):
        if abs(value) > MAX_NUMBER:
            # Past float's range (about 1e308) even comparing it with a float fails: stop here.
            huge = value.bit_length() > 1000
            got = shown(value) if huge else f"{value:.4g}"
            walk.add(path, _too_large(got), fatal=huge, said=phrase("problems.too_large", got=got))
    elif isinstance(value, float):
        if not math.isfinite(value):
            said = phrase("problems.pydantic.finite", value=value)
            walk.add(path, f"must be a finite number (got {value}); write the amount as plain digits", said=said)
        elif abs(value) > MAX_NUMBER:
            walk.add(path, _too_large(f"{value:.4g}"), said=phrase("problems.too_large", got=f"{value:.4g}"))
    else:
        said = phrase("problems.no_field_takes", type=_type_phrase(value), got=shown(value))
        walk.add(path, f"is {_type_words(value)} (got {shown(value)}), which no case field takes; write plain "
                 "text, numbers, true/false, lists or mappings (no YAML tags such as !!binary or !!set)",
                 said=said)  # fmt: skip


def _check_text(text: str, path: tuple[Any, ...], walk: _Walk, what: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        said = phrase(f"problems.surrogate_{what}", code=f"{code:04X}", at=error.start, got=shown(text))
        walk.add(path, f"has {what} with an unpaired surrogate U+{code:04X} at character {error.start} "
                 f"(got {shown(text)}), which is not a Unicode character; "
                 "fix the \\u escape (a pair such as \\ud83d\\ude00 makes one character)", said=said)  # fmt: skip


def _too_large(got: str) -> str:
    return (
        f"must be at most 1e18 in size (got {got}); no amount, rate or count in a reserve "
        "case comes near it, and past it sums cannot be kept to one unit of currency. Check the digits"
    )


_TYPES = {list: "list", dict: "mapping", int: "number", float: "number", bool: "bool", bytes: "bytes", set: "set"}


def _type_phrase(value: Any) -> Phrase | str:
    # _type_words as a phrase (problems.type.*); other types are named by Python, as in English.
    name = "empty" if value is None else _TYPES.get(type(value))
    return phrase(f"problems.type.{name}") if name else _type_words(value)


def _type_words(value: Any) -> str:
    words = {list: "a list", dict: "a mapping", int: "a number", float: "a number", bool: "true/false",
             bytes: "binary data", set: "a set"}  # fmt: skip
    return words.get(type(value), f"a {type(value).__name__}") if value is not None else "empty"
