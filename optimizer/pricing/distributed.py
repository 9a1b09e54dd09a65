"""Run a market's exchanges serially or through dask.distributed, with the same results.

``scheduler``:

- ``"serial"``: in this process, one exchange after another;
- ``"local"``: a ``dask.distributed.LocalCluster`` sized to the machine (one single-threaded
  worker process per core: HiGHS and the Python around it hold the GIL);
- ``"auto"`` (the default): serial below ``AUTO_CLUSTER`` exchanges, where starting a cluster
  (about a second) costs more than it saves; local at and above it;
- anything else is a scheduler address (``tcp://host:8786``): the cluster's workers must have
  this package installed.

Exchanges are sent in batches (``price_batch``), a few per worker, and each batch runs exactly
the function the serial path runs, on the same inputs with per-exchange seeds: the results are
identical whichever way they ran, in the order of the market.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

from optimizer.pricing.sweep import ExchangeResult, ExchangeTask, price_batch

AUTO_CLUSTER = 200
"""Exchanges at which "auto" starts a local cluster."""

Progress = Callable[[int, int], None]
"""Called with (exchanges done, exchanges in all) as batches finish."""


def run_tasks(
    tasks: list[ExchangeTask],
    scheduler: str = "auto",
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[ExchangeResult]:
    """Price every exchange; results in the order of ``tasks``."""
    mode = resolve_scheduler(scheduler, len(tasks))
    if mode == "serial":
        return _run_serial(tasks, progress)
    return _run_dask(tasks, mode, progress, workers)


def resolve_scheduler(scheduler: str, exchanges: int) -> str:
    """What "auto" means for this many exchanges; other values unchanged."""
    if scheduler == "auto":
        return "serial" if exchanges < AUTO_CLUSTER else "local"
    return scheduler


def _run_serial(tasks: list[ExchangeTask], progress: Progress | None) -> list[ExchangeResult]:
    results = []
    for done, task in enumerate(tasks, start=1):
        results.extend(price_batch([task]))
        if progress is not None:
            progress(done, len(tasks))
    return results


def _run_dask(
    tasks: list[ExchangeTask], mode: str, progress: Progress | None, workers: int | None
) -> list[ExchangeResult]:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if mode == "local":
        count = workers or os.cpu_count() or 1
        cluster = LocalCluster(
            n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
        )
        client = Client(cluster)
    else:
        client = Client(mode)
    try:
        size = max(1, len(client.scheduler_info().get("workers", {})))
        batch = max(1, math.ceil(len(tasks) / (4 * size)))
        batches = [tasks[start : start + batch] for start in range(0, len(tasks), batch)]
        futures = client.map(price_batch, batches, pure=False)
        order = {future.key: index for index, future in enumerate(futures)}
        gathered: dict[int, list[ExchangeResult]] = {}
        done = 0
        for future in as_completed(futures):
            index = order[future.key]
            gathered[index] = future.result()
            done += len(batches[index])
            if progress is not None:
                progress(done, len(tasks))
        return [result for index in range(len(batches)) for result in gathered[index]]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
