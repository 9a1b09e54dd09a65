"""Scenarios: simulated (or tabled) years and their incidents, held sparsely.

Only the years with at least one incident are stored; the others lost nothing and count
through ``years`` (S) alone. Of n loss years and m incidents::

    year[i]                           1-based number of the i-th loss year (ascending), i < n
    offsets[i] : offsets[i + 1]       its incidents in ``incident_loss`` (CSR layout, n + 1 offsets)
    incident_loss[e]                  one incident's loss x_e (after any cap), e < m
    annual_loss[i]                    L = sum of its incidents (model.md section 4)

A year with zero loss can never be uncovered, so every figure over S years is a sum over the
loss years divided by S (model.md section 4: "a year with L_s = 0 can never bind").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Scenarios:
    """S years of losses, stored as the loss years only (see the module docstring)."""

    years: int
    """S: the number of years, loss years or not."""
    year: IntArray
    """(n,) 1-based year number of each loss year, ascending."""
    offsets: IntArray
    """(n + 1,) incidents of loss year i are incident_loss[offsets[i]:offsets[i + 1]]."""
    incident_loss: FloatArray
    """(m,) each incident's loss, in the case currency."""
    annual_loss: FloatArray
    """(n,) each loss year's total loss L."""
    source: str = ""
    """Where the years come from, in words."""
    seed: int | None = None
    """Seed of the simulation (None for an events table)."""

    @property
    def loss_years(self) -> int:
        """n: the number of years with at least one incident."""
        return int(self.year.size)

    @property
    def incidents(self) -> int:
        """m: the number of incidents over all years."""
        return int(self.incident_loss.size)

    def counts(self) -> IntArray:
        """(n,) number of incidents in each loss year."""
        return np.diff(self.offsets)

    def all_counts(self) -> IntArray:
        """(S,) number of incidents in every year, zeros included (for checks, not for speed)."""
        dense = np.zeros(self.years, dtype=np.int64)
        dense[self.year - 1] = self.counts()
        return dense

    def largest_incident(self) -> FloatArray:
        """(n,) the largest single incident of each loss year (occurrence basis)."""
        if self.loss_years == 0:
            return np.zeros(0)
        return np.maximum.reduceat(self.incident_loss, self.offsets[:-1])

    def slice(self, start: int, stop: int) -> Scenarios:
        """Loss years start..stop-1 as Scenarios of their own (S unchanged), for chunked work."""
        first, last = int(self.offsets[start]), int(self.offsets[stop])
        return Scenarios(
            years=self.years,
            year=self.year[start:stop],
            offsets=self.offsets[start : stop + 1] - first,
            incident_loss=self.incident_loss[first:last],
            annual_loss=self.annual_loss[start:stop],
            source=self.source,
            seed=self.seed,
        )


def scenarios_from_events(years: int, event_year: IntArray, loss: FloatArray, source: str = "") -> Scenarios:
    """Build Scenarios from a year-event list (one entry per incident; any order).

    Parameters
    ----------
    years : int
        S, the number of years covered; every ``event_year`` must be in 1..S.
    event_year : ndarray of int
        1-based year of each event.
    loss : ndarray of float
        Loss of each event, >= 0.
    source : str
        Where the events come from, in words.
    """
    event_year = np.asarray(event_year, dtype=np.int64)
    loss = np.asarray(loss, dtype=np.float64)
    order = np.argsort(event_year, kind="stable")
    event_year, loss = event_year[order], loss[order]
    year, starts = np.unique(event_year, return_index=True)
    offsets = np.append(starts, event_year.size).astype(np.int64)
    annual = np.add.reduceat(loss, starts) if year.size else np.zeros(0)
    return Scenarios(years, year.astype(np.int64), offsets, loss, annual.astype(np.float64), source)


def join_scenarios(years: int, parts: list[Scenarios], source: str, seed: int | None = None) -> Scenarios:
    """Concatenate chunks of loss years (each with ascending, disjoint year numbers)."""
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Scenarios(years, empty, np.zeros(1, dtype=np.int64), np.zeros(0), np.zeros(0), source, seed)
    sizes = np.cumsum([0] + [p.incidents for p in parts[:-1]])
    offsets = np.concatenate([p.offsets[:-1] + base for p, base in zip(parts, sizes, strict=True)])
    offsets = np.append(offsets, sum(p.incidents for p in parts)).astype(np.int64)
    return Scenarios(
        years=years,
        year=np.concatenate([p.year for p in parts]),
        offsets=offsets,
        incident_loss=np.concatenate([p.incident_loss for p in parts]),
        annual_loss=np.concatenate([p.annual_loss for p in parts]),
        source=source,
        seed=seed,
    )
