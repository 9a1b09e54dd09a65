"""How many points a frontier has: the default, the bound, and the CLI's ``--points`` type.

Kept apart from ``frontier`` (which imports the LP) so that ``reserve-opt``'s options and its
``--help`` are built without importing PuLP, HiGHS and numpy (issue #12).
"""

from __future__ import annotations

from argparse import ArgumentTypeError

DEFAULT_POINTS = 50
MAX_POINTS = 500
"""The most points a frontier may have: each is a verified solve."""


def point_count(text: str) -> int:
    """The CLI's --points: a whole number from 2 to MAX_POINTS (argparse type)."""
    if not text.isdigit() or not 2 <= int(text) <= MAX_POINTS:
        msg = f"must be a whole number from 2 to {MAX_POINTS} (got {text[:40]!r}); each point is a verified solve"
        raise ArgumentTypeError(msg)
    return int(text)
