"""Read a case file (YAML or JSON) from disk or from uploaded bytes.

Reading is strict: the text must be UTF-8, the syntax valid, and no key may appear twice in
one mapping (YAML and JSON parsers would otherwise keep the last value without a word).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from optimizer.case.checks import check_case
from optimizer.case.errors import CaseError, Problem, shown
from optimizer.case.phrase import Phrase, phrase
from optimizer.case.raw import MAX_DEPTH
from optimizer.case.schema import Case
from optimizer.case.yaml_reader import MAX_DIGITS, YamlReadError, load_yaml

MAX_CASE_BYTES = 4_000_000
"""Largest case file read (4 MB, about 20,000 instruments); a larger file, or an endless one such
as /dev/zero, is refused after reading one byte more than this."""


class _JsonReadError(ValueError):
    def __init__(self, message: str, said: Phrase) -> None:
        super().__init__(message)
        self.phrase = said


def parse_text(text: str, source: str, fmt: str | None = None) -> Any:
    """Parse case text as JSON or YAML (by ``fmt``, else by trying JSON first)."""
    if fmt == "json" or (fmt is None and text.lstrip().startswith("{")):
        try:
            # NaN and Infinity load as floats so that the field check names where they are.
            return json.loads(text, object_pairs_hook=_unique_json_object, parse_int=_json_int)
        except _JsonReadError as error:
            failed = phrase("problems.not_a_valid_case", error=error.phrase)
            raise CaseError([Problem("", f"the file is not a valid case: {error}", failed)], source) from None
        except json.JSONDecodeError as error:
            msg = f"the file is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
            said = phrase("problems.not_json", problem=error.msg, line=error.lineno, column=error.colno)
            raise CaseError([Problem("", msg, said)], source) from None
        except RecursionError:
            raise CaseError([Problem("", _too_deep(), _TOO_DEEP)], source) from None
    try:
        return load_yaml(text)
    except YamlReadError as error:
        read = None if error.phrase is None else phrase("problems.not_a_valid_case", error=error.phrase)
        raise CaseError([Problem("", f"the file is not a valid case: {error}", read)], source) from None
    except RecursionError:  # compose_node stops at MAX_DEPTH; this is the backstop
        raise CaseError([Problem("", _too_deep(), _TOO_DEEP)], source) from None
    except yaml.YAMLError as error:
        where, at = "", phrase("problems.nothing")
        mark = getattr(error, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1} column {mark.column + 1}"
            at = phrase("problems.yaml_at", line=mark.line + 1, column=mark.column + 1)
        problem = getattr(error, "problem", None) or str(error)
        msg = f"the file is not valid YAML: {shown(problem)[1:-1]}{where}; check the indentation and colons there"
        said = phrase("problems.not_yaml", problem=shown(problem)[1:-1], where=at)
        raise CaseError([Problem("", msg, said)], source) from None


_TOO_DEEP = phrase("problems.file_too_deep", most=MAX_DEPTH)


def _too_deep() -> str:
    return (
        f"the file is nested more than {MAX_DEPTH} levels deep; a case needs 4 (case, instruments, an "
        "instrument, a field): check the brackets"
    )


def _json_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_DIGITS:
        msg = f"a number with {digits:,} digits; the largest number a case may hold is 1e18 (19 digits)"
        raise _JsonReadError(msg, phrase("problems.json_digits", digits=digits))
    return int(text)


def _unique_json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            msg = f"key {shown(key, 60)} appears twice in one object; keep one"
            raise _JsonReadError(msg, phrase("problems.json_duplicate_key", name=shown(key, 60)))
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
        said = phrase("problems.case_not_utf8", byte=f"{byte:02x}", position=error.start)
        raise CaseError([Problem("", msg, said)], source) from None


def case_from_bytes(raw: bytes, source: str = "the uploaded case", fmt: str | None = None) -> Case:
    """Parse and check a case from raw bytes (an upload, or a file's content).

    Raises
    ------
    CaseError
        For every input, however malformed; never another exception (the app relies on it).
    """
    if len(raw) > MAX_CASE_BYTES:
        said = phrase("problems.case_too_large", size=len(raw), most=MAX_CASE_BYTES)
        raise CaseError([Problem("", _too_large(len(raw)), said)], source)
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
        with path.open("rb") as file:
            raw = file.read(MAX_CASE_BYTES + 1)  # not read_bytes(): /dev/zero never ends
    except OSError as error:
        reason = error.strerror or str(error)
        raise CaseError([Problem("", f"cannot read the file: {reason}")], str(path)) from None
    suffix = path.suffix.lower()
    fmt = "json" if suffix == ".json" else "yaml" if suffix in (".yaml", ".yml") else None
    if len(raw) > MAX_CASE_BYTES:
        raise CaseError([Problem("", _too_large(None))], str(path))
    return case_from_bytes(raw, str(path), fmt), raw


def _too_large(size: int | None) -> str:
    got = f" ({size:,} bytes)" if size is not None else ""
    return (
        f"the file{got} is over the {MAX_CASE_BYTES:,}-byte limit on a case file (about 20,000 instruments); "
        "check it is the right file, or split the market into smaller cases"
    )
