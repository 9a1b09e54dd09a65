"""Two versions of the app side by side in one browser, measured in turn (A B A B ...).

On a shared machine the load moves during a run; measuring A and B alternately, step by step,
keeps the comparison fair, and the median of the paired ratios says how A compares with B.
Each tree is served by its own ``streamlit run app.py`` (with the project's .venv Python).

    git archive main | tar -x -C /tmp/base
    python benchmarks/bench_browser_pair.py . /tmp/base [--sessions 8] [--steps 30]

Measures what ``bench_browser.py`` measures: a fresh session's Case page fully drawn (new tabs
of a browser that has loaded the app before), and a key press on the What-if page's
requirement slider until the new R is shown.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

import bench_browser as bench


def _what_if(context: object, url: str) -> tuple[object, object, object]:
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(f"{url}/what_if")
    value = page.locator('[data-testid="stMetric"]').filter(has_text="Requirement R").first.locator(
        '[data-testid="stMetricValue"]')
    value.wait_for(state="visible", timeout=60_000)
    bench._settled(page)
    return page, value, page.get_by_role("slider", name="Requirement R").first


def _press(page: object, value: object, thumb: object, key: str) -> float:
    thumb.focus()  # type: ignore[attr-defined]
    before = value.inner_text()  # type: ignore[attr-defined]
    started = time.perf_counter()
    thumb.press(key)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "([element, old]) => element.innerText !== old", arg=[value.element_handle(), before],  # type: ignore[attr-defined]
        polling="raf", timeout=30_000,
    )
    shown = time.perf_counter() - started
    bench._settled(page)
    return shown


def _report(name: str, a: list[float], b: list[float], roots: tuple[str, str]) -> None:
    print(f"{name}: A median {statistics.median(a) * 1000:.0f} ms, B median {statistics.median(b) * 1000:.0f} ms, "
          f"paired A/B median {statistics.median(x / y for x, y in zip(a, b, strict=True)):.2f} (n={len(a)}; "
          f"A = {roots[0]}, B = {roots[1]})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", help="folder of version A (a checkout with app.py)")
    parser.add_argument("b", help="folder of version B")
    parser.add_argument("--sessions", type=int, default=8, help="fresh sessions of each, in turn")
    parser.add_argument("--steps", type=int, default=30, help="slider key presses on each, in turn")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print("load average (1, 5, 15 min) at the start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory() as folder_a, tempfile.TemporaryDirectory() as folder_b:
        server_a, url_a = bench._serve(folder_a, args.a)
        server_b, url_b = bench._serve(folder_b, args.b)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=args.chromium, args=bench.FLAGS)
                context_a = browser.new_context(viewport={"width": 1440, "height": 900})
                context_b = browser.new_context(viewport={"width": 1440, "height": 900})
                bench._fresh_session(context_a, url_a)  # the cold first loads are not counted
                bench._fresh_session(context_b, url_b)
                fresh_a, fresh_b = [], []
                for _ in range(args.sessions):
                    fresh_a.append(bench._fresh_session(context_a, url_a))
                    fresh_b.append(bench._fresh_session(context_b, url_b))
                page_a, page_b = _what_if(context_a, url_a), _what_if(context_b, url_b)
                slider_a, slider_b = [], []
                for step in range(args.steps):
                    key = "ArrowRight" if (step // 10) % 2 == 0 else "ArrowLeft"
                    slider_a.append(_press(*page_a, key))
                    slider_b.append(_press(*page_b, key))
                browser.close()
        finally:
            for server in (server_a, server_b):
                server.terminate()
                server.wait(timeout=20)
    print("load average (1, 5, 15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    _report("fresh session, Case page fully drawn", fresh_a, fresh_b, (args.a, args.b))
    _report("slider key press -> new R shown", slider_a, slider_b, (args.a, args.b))
    return 0


if __name__ == "__main__":
    sys.exit(main())
