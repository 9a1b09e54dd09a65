"""The speed a user feels, measured in a real browser (Debian's Chromium driven by Playwright).

Starts ``streamlit run app.py`` on a local port with a throwaway workspace, then measures:

- **fresh session**: from opening the app's URL in a new tab (a new Streamlit session) to the
  Case page fully drawn: R's figure shown and the app no longer running. The very first load
  (a browser with an empty cache, the server's first session) is reported apart; the others
  are new tabs of a browser that has loaded the app before (its script files cached), as a
  user opening the app again sees it;
- **slider**: on the What-if page, from a key press on the requirement slider to the new R
  shown in the answer ("new number"), and to the page settled (the app no longer running).

Times are wall-clock in the browser's process, median and 90th percentile.

    python benchmarks/bench_browser.py [--sessions 5] [--steps 20] [--chromium /usr/bin/chromium]

Targets (issue #12): slider -> new number <= 150 ms median; a fresh session's first page fully
drawn <= 2 s. The machine is shared: say so when quoting figures.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RUNNING = '[data-testid="stStatusWidget"]'


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(folder: str, root: Path | str = ROOT) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run app.py`` of the checkout ``root`` on a free port, its workspace in ``folder``."""
    port = _port()
    env = {**os.environ, "RESERVE_OPT_DB": str(Path(folder) / "bench.sqlite")}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]
    log = (Path(folder) / "server.log").open("wb")
    process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read() == b"ok":
                    return process, url
        except OSError:
            time.sleep(0.2)
    process.terminate()
    msg = f"the app in {root} did not start (see {folder}/server.log)"
    raise RuntimeError(msg)


def _settled(page: object) -> None:
    page.wait_for_timeout(50)  # type: ignore[attr-defined]
    page.locator(RUNNING).wait_for(state="hidden", timeout=60_000)  # type: ignore[attr-defined]


def _fresh_session(context: object, url: str) -> float:
    page = context.new_page()  # type: ignore[attr-defined]
    started = time.perf_counter()
    page.goto(url)
    # The Case page is drawn when R's figure (its last section) is on screen and nothing runs.
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Requirement R").first
    metric.wait_for(state="visible", timeout=60_000)
    _settled(page)
    elapsed = time.perf_counter() - started
    page.close()
    return elapsed


def _slider(context: object, url: str, steps: int) -> tuple[list[float], list[float]]:
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(f"{url}/what_if")
    value = page.locator('[data-testid="stMetric"]').filter(has_text="Requirement R").first.locator(
        '[data-testid="stMetricValue"]')
    value.wait_for(state="visible", timeout=60_000)
    _settled(page)
    thumb = page.get_by_role("slider", name="Requirement R").first
    thumb.focus()
    shown, settled = [], []
    for step in range(steps):
        before = value.inner_text()
        key = "ArrowRight" if step < steps // 2 else "ArrowLeft"
        started = time.perf_counter()
        thumb.press(key)
        page.wait_for_function(
            "([element, old]) => element.innerText !== old", arg=[value.element_handle(), before], polling="raf",
            timeout=30_000,
        )
        shown.append(time.perf_counter() - started)
        _settled(page)
        settled.append(time.perf_counter() - started)
    page.close()
    return shown, settled


def _line(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"{name}: median {statistics.median(ordered) * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms (n={len(values)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5, help="fresh sessions to time after the cold one")
    parser.add_argument("--steps", type=int, default=20, help="slider key presses to time")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    started_load = os.getloadavg()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        process, url = _serve(folder)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium, args=FLAGS)
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                cold = _fresh_session(context, url)
                warm = [_fresh_session(context, url) for _ in range(args.sessions)]
                shown, settled = _slider(context, url, args.steps)
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=20)
    print("load average (1, 5, 15 min) at the start: {:.2f} {:.2f} {:.2f}, at the end: {:.2f} {:.2f} {:.2f}".format(
        *started_load, *os.getloadavg()))
    print(f"first load (empty browser cache, the server's first session): {cold * 1000:.0f} ms")
    print(_line("fresh session (new tab), Case page fully drawn", warm))
    print(_line("slider key press -> new R shown", shown))
    print(_line("slider key press -> page settled", settled))
    return 0


if __name__ == "__main__":
    sys.exit(main())
