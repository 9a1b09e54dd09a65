"""Every outcome of a ``--format json`` run as one JSON document on stdout.

An answer (exit 0 or 3) is ``Solution.to_dict``. The other two outcomes get an object of their
own, so a script reads stdout whatever the exit code (the messages still go to stderr too):

- exit 2, the case or the command line is invalid::

      {"status": "invalid", "source": "case.yaml", "errors": ["instruments[2].premium_rate must be ..."]}

- exit 4, the solver did not prove a verified optimum::

      {"status": "error", "message": "the solver stopped without proving an optimal mix ..."}

The JSON is strict (RFC 8259): ``allow_nan=False``, and text that cannot be written as UTF-8
(a lone surrogate quoted from a bad file) is escaped rather than breaking the output.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def invalid_object(errors: Sequence[str], source: str | None = None) -> dict[str, Any]:
    """The JSON object for exit 2: every problem, one message each."""
    document: dict[str, Any] = {"status": "invalid"}
    if source is not None:
        document["source"] = source
    document["errors"] = list(errors)
    return document


def error_object(message: str) -> dict[str, Any]:
    """The JSON object for exit 4: why no verified optimum is reported."""
    return {"status": "error", "message": message}


def strict_json(document: Any) -> str:
    """``document`` as strict, indented JSON text (no NaN or Infinity; always encodable as UTF-8).

    Raises
    ------
    ValueError
        If the document holds NaN or an infinity, which JSON cannot represent.
    """
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: \\u escapes keep the JSON valid and printable
        text = json.dumps(document, indent=2, ensure_ascii=True, allow_nan=False)
    return text


def wants_json(argv: Sequence[str]) -> bool:
    """True when the command line asks for ``--format json`` (read before argparse has parsed it).

    Used when parsing itself fails, so the error still reaches stdout as JSON. Accepts what
    argparse accepts: ``--format json``, ``--format=json`` and unambiguous prefixes (``--form``).
    """
    for index, token in enumerate(argv):
        name, equals, value = token.partition("=")
        if len(name) < 3 or not "--format".startswith(name):
            continue
        if not equals:
            value = argv[index + 1] if index + 1 < len(argv) else ""
        if value == "json":
            return True
    return False


def answer_json(document: object, what: str) -> str:
    """``document`` as strict JSON; a NaN or infinity in an answer is a solver fault, not input."""
    try:
        return strict_json(document)
    except ValueError:  # JSON has no NaN or infinity; writing one would break every reader
        # Imported here: the CLI's error path needs this module without importing the LP.
        from optimizer.coverage.pipeline import SolverError

        msg = f"the {what} holds a number JSON cannot represent (NaN or infinity); nothing is reported"
        raise SolverError(msg) from None
