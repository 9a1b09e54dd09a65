"""Which regime rulebooks are installed (data/regimes/*.yaml).

Regime-driven requirements are computed by the rulebook feature; until a rulebook file
exists for an id, a case naming it is refused with the list of ids that do exist.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

REGIMES_DIR = Path(__file__).resolve().parents[2] / "data" / "regimes"


@cache
def known_regimes() -> frozenset[str]:
    """Ids of the rulebooks shipped in data/regimes/."""
    if not REGIMES_DIR.is_dir():
        return frozenset()
    return frozenset(path.stem for path in REGIMES_DIR.glob("*.yaml"))
