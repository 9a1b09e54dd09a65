"""Simulate S years from a LossSpec: Poisson counts, severities, attack vectors, caps.

Work goes in chunks of ``CHUNK_YEARS`` years, each with its own random stream spawned from the
seed (numpy ``SeedSequence.spawn``), and only loss years are kept, so memory grows with the
number of incidents, not with S. Chunk c's stream depends only on (seed, c): the same seed gives
the same years on every run, and whole chunks are shared (the first 1,000,000 years of a
1,200,000-year run are the 1,000,000-year run; a shorter, partial chunk draws differently).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from optimizer.risk.model import LossSpec
from optimizer.risk.scenarios import Scenarios, join_scenarios

CHUNK_YEARS = 1_000_000
"""Years drawn at a time: 8 MB of counts per chunk."""

Progress = Callable[[float, str], None]
"""Called with the fraction done (0..1) and a short text, between chunks."""


def simulate(spec: LossSpec, years: int, seed: int, progress: Progress | None = None) -> Scenarios:
    """Draw ``years`` years of incidents (model.md section 4).

    Each year's count is Poisson(spec.per_year); each incident takes vector v with probability
    shares[v], draws a severity and is capped at caps[v] (the assets that route exposes).

    Parameters
    ----------
    spec : LossSpec
        The resolved frequency / severity model.
    years : int
        S, the number of years.
    seed : int
        Seed of the random streams.
    progress : callable, optional
        Told the fraction done after each chunk.
    """
    chunks = -(-years // CHUNK_YEARS)
    streams = np.random.SeedSequence(seed).spawn(chunks)
    parts = []
    for index, stream in enumerate(streams):
        start = index * CHUNK_YEARS
        size = min(CHUNK_YEARS, years - start)
        parts.append(_simulate_chunk(spec, np.random.Generator(np.random.PCG64(stream)), start, size))
        if progress is not None:
            progress((index + 1) / chunks, f"simulated {start + size:,} of {years:,} years")
    source = f"{years:,} simulated years, seed {seed}"
    return join_scenarios(years, parts, source, seed)


def _simulate_chunk(spec: LossSpec, rng: np.random.Generator, start: int, size: int) -> Scenarios:
    counts = rng.poisson(spec.per_year, size)
    loss_years = np.flatnonzero(counts)
    per_year = counts[loss_years].astype(np.int64)
    incidents = int(per_year.sum())
    loss = spec.severity.draw(rng, incidents)
    if spec.shares.size > 1:
        route = rng.choice(spec.shares.size, size=incidents, p=spec.shares)
        np.minimum(loss, spec.caps[route], out=loss)
    else:
        np.minimum(loss, spec.caps[0], out=loss)
    offsets = np.zeros(loss_years.size + 1, dtype=np.int64)
    np.cumsum(per_year, out=offsets[1:])
    annual = np.add.reduceat(loss, offsets[:-1]) if loss_years.size else np.zeros(0)
    return Scenarios(size, (loss_years + start + 1).astype(np.int64), offsets, loss, annual)
