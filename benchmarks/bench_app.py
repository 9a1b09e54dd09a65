"""Server-side time from a slider change to the rendered answer, on the default example.

Drives the app with Streamlit's AppTest on the What-if page: each step sets the requirement
slider to another value and times ``.run()``, which re-runs the page script end to end (the
variant is checked, solved, recorded in the workspace, tabled and charted). Prints the median
and the 90th percentile over the steps. The browser's own drawing time is not included.

    python benchmarks/bench_app.py [--steps 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30, help="slider changes to time (default 30)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # A throwaway workspace: the benchmark's audit runs must not fill the user's.
        os.environ["RESERVE_OPT_DB"] = str(Path(folder) / "bench.sqlite")
        from streamlit.testing.v1 import AppTest

        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        app.run()
        app.switch_page("app_pages/what_if.py").run()
        # The slider offers R from 25% to 200% of the case's ¥10bn in 5% steps; AppTest sets
        # a select_slider by value, not by its label.
        options = [round(10_000_000_000 * (0.25 + 0.05 * step), 2) for step in range(36)]
        # Walk the slider back and forth across its range, as a user dragging it would, so
        # most steps are new values (a solve) and some are revisits (the session memo).
        path = [options[index % len(options)] for index in range(0, args.steps * 7, 7)]
        timings = []
        for value in path:
            app.select_slider(key=_requirement_key(app)).set_value(value)
            started = time.perf_counter()
            app.run()
            timings.append((time.perf_counter() - started) * 1000)
            if app.exception:
                print(app.exception[0].message, file=sys.stderr)
                return 1
        cost = next(metric.value for metric in app.metric if metric.label == "Optimal annual cost")
    timings.sort()
    p90 = timings[min(len(timings) - 1, int(round(0.9 * (len(timings) - 1))))]
    print(f"slider change -> rendered answer, {len(timings)} changes on the What-if page (jp-midsize.yaml)")
    print(f"median {statistics.median(timings):.0f} ms, p90 {p90:.0f} ms, max {timings[-1]:.0f} ms")
    print(f"last answer: {cost}")
    return 0


def _requirement_key(app: object) -> str:
    for slider in app.select_slider:  # type: ignore[attr-defined]
        if slider.label == "Requirement R":
            return str(slider.key)
    msg = "the What-if page has no requirement slider"
    raise LookupError(msg)


if __name__ == "__main__":
    sys.exit(main())
