"""Read a case file (YAML or JSON) from disk or from uploaded bytes.

Reading is strict: the text must be UTF-8, the syntax valid, and no key may appear twice in
one mapping (YAML and JSON parsers would otherwise keep the last value without a word).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from optimizer.case.checks import check_case
from optimizer.case.errors import CaseError, Problem
from optimizer.case.schema import Case


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and reads 1e9 as a number (YAML 1.2 style)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            line = key_node.start_mark.line + 1
            msg = f"key {key!r} appears twice in one mapping (lines {seen[key]} and {line}); keep one"
            raise _DuplicateKeyError(msg)
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


class _DuplicateKeyError(ValueError):
    pass


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)
# PyYAML follows YAML 1.1, where 1e9 and 2.5e9 are strings; a user writing them means numbers.
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def parse_text(text: str, source: str, fmt: str | None = None) -> Any:
    """Parse case text as JSON or YAML (by ``fmt``, else by trying JSON first)."""
    if fmt == "json" or (fmt is None and text.lstrip().startswith("{")):
        try:
            return json.loads(text, object_pairs_hook=_unique_json_object)
        except _DuplicateKeyError as error:
            raise CaseError([Problem("", f"the file is not a valid case: {error}")], source) from None
        except json.JSONDecodeError as error:
            msg = f"the file is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
            raise CaseError([Problem("", msg)], source) from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKeyError as error:
        raise CaseError([Problem("", f"the file is not a valid case: {error}")], source) from None
    except yaml.YAMLError as error:
        where = ""
        mark = getattr(error, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1} column {mark.column + 1}"
        problem = getattr(error, "problem", None) or str(error)
        msg = f"the file is not valid YAML: {problem}{where}; check the indentation and colons there"
        raise CaseError([Problem("", msg)], source) from None


def _unique_json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            msg = f"key {key!r} appears twice in one object; keep one"
            raise _DuplicateKeyError(msg)
        result[key] = value
    return result


def decode_bytes(raw: bytes, source: str) -> str:
    """Decode UTF-8 (with or without a byte-order mark), or explain where it is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = raw[error.start]
        msg = (
            f"the file is not UTF-8 text (byte 0x{byte:02x} at position {error.start}); save it as UTF-8 and try again"
        )
        raise CaseError([Problem("", msg)], source) from None


def case_from_bytes(raw: bytes, source: str = "the uploaded case", fmt: str | None = None) -> Case:
    """Parse and check a case from raw bytes (an upload, or a file's content)."""
    return check_case(parse_text(decode_bytes(raw, source), source, fmt), source)


def load_case(path: str | Path) -> Case:
    """Read, parse and check the case file at ``path``."""
    return read_case(path)[0]


def read_case(path: str | Path) -> tuple[Case, bytes]:
    """The case at ``path`` and the bytes it was read from (read once: ``/dev/stdin`` has no second reading).

    The audit record hashes these bytes, so the hash is that of what was solved.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise CaseError([Problem("", f"cannot read the file: {reason}")], str(path)) from None
    suffix = path.suffix.lower()
    fmt = "json" if suffix == ".json" else "yaml" if suffix in (".yaml", ".yml") else None
    return case_from_bytes(raw, str(path), fmt), raw
