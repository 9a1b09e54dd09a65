"""Counterparty default draws: in a year a counterparty defaults, it pays nothing.

One seeded Bernoulli draw per counterparty and loss year (model.md section 4). Defaults are
independent of losses, so drawing them for the loss years only is exact: a default in a year
without a loss changes nothing. Each counterparty has its own stream, keyed by its normalised
name, so adding a counterparty to the case does not change another's draws.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from optimizer.case.names import counterparty_key
from optimizer.risk.scenarios import Scenarios

BoolArray = NDArray[np.bool_]

_STREAM_TAG = 0x64656661  # "defa": keeps default streams apart from the loss streams of the same seed


def draw_defaults(scenarios: Scenarios, probabilities: Mapping[str, float], seed: int) -> dict[str, BoolArray]:
    """Which loss years each counterparty defaults in.

    Parameters
    ----------
    scenarios : Scenarios
        The years; one draw per loss year.
    probabilities : mapping
        Counterparty name (any spelling; normalised by ``counterparty_key``) -> annual
        probability of default.
    seed : int
        The scenarios' seed.

    Returns
    -------
    dict
        Normalised counterparty name -> (n,) bool mask over the loss years.
    """
    masks = {}
    for name, probability in probabilities.items():
        key = counterparty_key(name)
        stream = np.random.SeedSequence([seed, _STREAM_TAG, zlib.crc32(key.encode("utf-8"))])
        rng = np.random.Generator(np.random.PCG64(stream))
        masks[key] = rng.random(scenarios.loss_years) < probability
    return masks
