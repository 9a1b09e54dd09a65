"""The app in a real browser: Debian's Chromium driven by Playwright against `streamlit run`.

Opens the app, loads the example, moves the requirement slider on the What-if page, sees the
cost change, and saves screenshots under test-artifacts/ (the Optimise page's is the README's).

Skips, saying why, where no Chromium or Playwright can be had; with REQUIRE_BROWSER=1 (set by
.ci/run, which installs Debian's chromium) a missing browser fails the test instead.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps trying to reach Google's hosts, which this network refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def chromium() -> str:
    """Path of a Chromium this test can drive, or skip (fail under REQUIRE_BROWSER=1)."""
    reasons = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reasons.append("the playwright package is not installed (pip install -e '.[test]')")
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        reasons.append(f"no Chromium at {path} (apt-get install -y chromium, or set CHROMIUM to its path)")
    if reasons:
        message = "real-browser test not run: " + "; ".join(reasons)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (REQUIRE_BROWSER=1)")
        pytest.skip(message)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path):
    """`streamlit run app.py` on a free local port, with its own workspace; stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "RESERVE_OPT_DB": str(tmp_path / "workspace.sqlite")}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("the app did not start:\n" + (tmp_path / "server.log").read_text())
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _metric(page, label):
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]')


def test_move_a_slider_in_a_real_browser_and_see_the_cost_change(chromium, server):
    # chromium first: without a browser the test skips before starting the app.
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.set_default_timeout(30_000)
            page.goto(server)
            expect(page.get_by_role("heading", name="Case", exact=True)).to_be_visible()

            # Load the example (the default choice in the menu).
            page.get_by_role("button", name="Load example").click()
            toast = page.locator('[data-testid="stToast"]')
            expect(toast).to_contain_text("Loaded the example jp-midsize.yaml.")
            expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("¥274m a year")

            # What-if: move the requirement slider two steps right with the keyboard.
            page.get_by_role("link", name="What-if").click()
            cost = _metric(page, "Optimal annual cost")
            expect(cost).to_have_text("¥274m")
            thumb = page.locator('[data-testid="stSlider"]').filter(has_text="Requirement R").get_by_role("slider")
            thumb.focus()
            thumb.press("ArrowRight")
            thumb.press("ArrowRight")
            expect(_metric(page, "Requirement R")).to_have_text("¥11.0bn")
            expect(cost).not_to_have_text("¥274m")
            assert cost.inner_text().startswith("¥")
            page.screenshot(path=ARTIFACTS / "what-if-slider.png")

            # The Optimise page, for the README.
            page.set_viewport_size({"width": 1440, "height": 1400})
            page.get_by_role("link", name="Optimise").click()
            expect(_metric(page, "Optimal annual cost")).to_have_text("¥274m")
            charts = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
            expect(charts.first).to_be_visible()
            expect(toast).to_have_count(0, timeout=20_000)  # the screenshot is the README's: no toast
            page.wait_for_timeout(1500)  # let the charts finish drawing
            page.screenshot(path=ARTIFACTS / "optimise-page.png")
        finally:
            browser.close()
    assert (ARTIFACTS / "optimise-page.png").stat().st_size > 10_000
