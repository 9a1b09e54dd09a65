"""The app in a real browser: Debian's Chromium driven by Playwright against `streamlit run`.

Opens the app, loads the example, moves the requirement slider on the What-if page, sees the
cost change; reloads the page and finds the work; sees a saving as a green negative delta; steps
a 0.05% rate; saves screenshots under tests/artifacts/screenshots/ (the Optimise page's is the
README's).

Skips, saying why, where no Chromium or Playwright can be had; with REQUIRE_BROWSER=1 (set by
.ci/run, which installs Debian's chromium) a missing browser fails the test instead.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
"""Screenshots the browser tests save (git-ignored); look at them after a change to the app."""
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


@pytest.fixture(scope="module")
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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` on a free local port, with its own workspace; stopped afterwards.

    One server for the module (each test opens a new browser session on it).
    """
    tmp_path = tmp_path_factory.mktemp("server")
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


def _delta(page, label):
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricDelta"]')


def _number_input(page, label):
    return page.locator('[data-testid="stNumberInput"]').filter(has_text=label).first


def _settle(page):
    """Wait until Streamlit has finished the run the last action started."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=30_000)


def _choose(page, label, option):
    """Pick a menu option by typing it into the select box (its list is virtualised)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    box.locator("input").fill(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    _settle(page)


def _download(page, button):
    """Click a download button and return the download (a click lost to a rerun is repeated)."""
    for attempt in (1, 2):
        try:
            with page.expect_download(timeout=20_000) as download:
                page.get_by_role("button", name=button).click()
            return download.value
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; the second try raises
            if attempt == 2:
                raise
            _settle(page)
    raise AssertionError(button)


def _green(color: str) -> bool:
    red, green, blue = (int(part) for part in color[color.index("(") + 1 : color.index(")")].split(",")[:3])
    return green > red + 40 and green > blue


@pytest.fixture
def browser_page(chromium, server):
    """A 1440-wide Chromium page on the running app (chromium first: it skips without a browser)."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.set_default_timeout(30_000)
            page.goto(server)
            yield page
        finally:
            browser.close()


def test_move_a_slider_in_a_real_browser_and_see_the_cost_change(browser_page):
    from playwright.sync_api import expect

    page = browser_page
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
    page.screenshot(path=SHOTS / "what-if-slider.png")

    # The Optimise page, for the README.
    page.set_viewport_size({"width": 1440, "height": 1400})
    page.get_by_role("link", name="Optimise").click()
    expect(_metric(page, "Optimal annual cost")).to_have_text("¥274m")
    charts = page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
    expect(charts.first).to_be_visible()
    expect(toast).to_have_count(0, timeout=20_000)  # the screenshot is the README's: no toast
    page.wait_for_timeout(1500)  # let the charts finish drawing
    page.screenshot(path=SHOTS / "optimise-page.png")
    assert (SHOTS / "optimise-page.png").stat().st_size > 10_000


def test_a_reload_keeps_the_case_and_the_page(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    expect(page.get_by_role("heading", name="Case", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]s=[A-Za-z0-9_-]{16}"))
    amount = _number_input(page, "Requirement R").locator("input")
    amount.fill("12000000000")
    amount.press("Enter")
    expect(_metric(page, "Requirement R")).to_have_text("¥12.0bn")
    _settle(page)
    expect(page.locator('[data-testid="stSidebar"]')).not_to_contain_text("¥274m a year")
    cost = page.locator('[data-testid="stSidebar"] [data-testid="stMetricValue"]').inner_text()
    page.get_by_role("link", name="Market").click()
    expect(page.get_by_role("heading", name="Market", exact=True)).to_be_visible()
    _settle(page)
    page.reload()
    expect(page.get_by_role("heading", name="Market", exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stMetricValue"]')).to_have_text(cost)
    page.get_by_role("link", name="Case").click()
    expect(_metric(page, "Requirement R")).to_have_text("¥12.0bn")


def test_a_saving_is_green_and_negative(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.get_by_role("link", name="What-if").click()
    expect(page.get_by_role("heading", name="What-if", exact=True)).to_be_visible()
    _settle(page)
    _choose(page, "Scale the premiums of", "all insurance")
    thumb = page.get_by_role("slider", name="Premium scale for all insurance").first
    thumb.focus()
    for _ in range(4):
        thumb.press("ArrowLeft")  # 1.00x -> 0.80x: insurance 20% cheaper
    delta = _delta(page, "Optimal annual cost")
    expect(delta).to_contain_text("-¥")
    expect(delta).to_contain_text("vs the case")
    assert _green(delta.evaluate("element => getComputedStyle(element).color"))
    assert delta.locator("svg").count() == 1  # the arrow
    page.screenshot(path=SHOTS / "what-if-saving.png")


def test_a_small_rate_shows_as_itself_and_steps_in_proportion(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    _choose(page, "Example case", "jp-midsize-regime.yaml")
    page.get_by_role("button", name="Load example").click()
    expect(_metric(page, "Requirement R")).to_have_text("¥8.0bn")
    page.get_by_text(re.compile("^Assumptions of jp-fsa-draft")).click()
    rate = _number_input(page, "volume_rate (%)")
    expect(rate.locator("input")).to_have_value("0.05")
    rate.locator('[data-testid="stNumberInputStepUp"]').click()
    expect(rate.locator("input")).to_have_value("0.06")
    expect(page.get_by_text("Changed from the rulebook: volume_rate = 0.06%.")).to_be_visible()
    expect(_metric(page, "Requirement R")).not_to_have_text("¥40.0bn")


HOSTILE = (
    b"name: '[click me](https://evil.example) ![x](https://evil.example/x.png) **bold** :smile: www.evil.example'\n"
    b"currency: JPY\n"
    b"requirement: {amount: 1_000_000_000}\n"
    b"instruments:\n"
    b"  - {id: '[cash](https://evil.example)', kind: cash, cost_rate: 0.05}\n"
    b"  - {id: '<img src=https://evil.example/i.png>', kind: insurance, attachment: 200_000_000,"
    b" limit: 500_000_000, premium_rate: 0.02, counterparty: '[Insurer](https://evil.example)'}\n"
)


def test_uploaded_names_show_as_typed_no_link_no_image(browser_page, tmp_path):
    from playwright.sync_api import expect

    page = browser_page
    upload = tmp_path / "hostile.yaml"
    upload.write_bytes(HOSTILE)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(upload)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text("from upload hostile.yaml")
    shown = sidebar.inner_text().replace("\u2060", "")  # the invisible joiners that break bare links
    assert HOSTILE.decode()[7:103] in shown  # the name as typed: shortcode and bare link stay text
    # Every page: ids, counterparties and the case's name stay text, and nothing fails.
    for slug, title, _ in PAGES[1:]:
        page.get_by_role("link", name=title, exact=True).click()
        expect(page).to_have_url(re.compile(f"/{slug}"))
        _settle(page)
        assert page.locator('a[href*="evil"], img[src*="evil"]').count() == 0, slug
        assert page.locator('[data-testid="stException"]').count() == 0, slug
    assert page.locator('a[href*="evil"], img[src*="evil"]').count() == 0
    page.screenshot(path=SHOTS / "hostile-names.png")


PAGES = [("case", "Case", "ケース"), ("market", "Market", "市場"), ("optimise", "Optimise", "最適化"),
         ("risk", "Risk", "リスク"), ("frontier", "Frontier", "フロンティア"), ("what_if", "What-if", "感応度分析"),
         ("insurer", "Insurer", "保険会社"), ("plan", "Plan", "計画"), ("export", "Export", "出力")]


def _switch_language(page, name):
    page.locator('[data-testid="stSidebar"]').get_by_text(name, exact=True).click()


def _shoot_every_page(page, language, titles):
    # Streamlit scrolls inside its own container, so a full-page screenshot is one viewport:
    # a tall viewport shows each page whole.
    page.set_viewport_size({"width": 1440, "height": 2600})
    for slug, english, japanese in PAGES:
        title = english if language == "en" else japanese
        page.get_by_role("link", name=title, exact=True).click()
        from playwright.sync_api import expect

        if slug != "case":
            expect(page).to_have_url(re.compile(f"/{slug}"))
        # Every page's own heading is in the catalogue's language.
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
        _settle(page)
        # Lazily loaded parts (the Market page's grids, download buttons) show a grey skeleton
        # until drawn: a screenshot of the skeleton shows nothing to look at.
        expect(page.locator('[data-testid="stSkeleton"]')).to_have_count(0, timeout=20_000)
        charts = page.locator('[data-testid="stVegaLiteChart"]')
        if charts.count():
            page.wait_for_timeout(1200)  # let Vega finish drawing
        # A page taller than the viewport (Risk, with every incident) gets a taller one.
        tall = page.evaluate("document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight")
        if tall + 200 > 2600:
            page.set_viewport_size({"width": 1440, "height": tall + 200})
            page.wait_for_timeout(800)
        page.screenshot(path=SHOTS / f"{language}-{slug}.png", full_page=True)
        page.set_viewport_size({"width": 1440, "height": 2600})
        titles.append(title)


def test_language_switch_and_screenshots_of_every_page_in_both_languages(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    expect(page.get_by_role("heading", name="Case", exact=True)).to_be_visible()
    shot = []
    _shoot_every_page(page, "en", shot)
    _switch_language(page, "日本語")
    expect(page.get_by_role("heading", name="出力", exact=True)).to_be_visible()  # the page changed language
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text("規制を満たす最安の組み合わせ")
    expect(sidebar).to_contain_text("年 2.74億円")
    _shoot_every_page(page, "ja", shot)
    assert len(shot) == 2 * len(PAGES)
    page.set_viewport_size({"width": 1440, "height": 1000})
    for slug, _, _ in PAGES:
        for language in ("en", "ja"):
            assert (SHOTS / f"{language}-{slug}.png").stat().st_size > 20_000
    _switch_language(page, "English")
    expect(page.get_by_role("heading", name="Export", exact=True)).to_be_visible()


def test_the_board_report_downloads_and_opens(browser_page, tmp_path):
    from playwright.sync_api import expect

    page = browser_page
    page.get_by_role("link", name="Export").click()
    expect(page.get_by_role("heading", name="Export", exact=True)).to_be_visible()
    _settle(page)
    download = _download(page, "Board report (HTML)")
    saved = tmp_path / "report.html"
    download.save_as(saved)
    assert download.suggested_filename.endswith("-report.html")
    _settle(page)
    _download(page, "Board report (PDF)").save_as(tmp_path / "report.pdf")
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")
    # The download was recorded in the audit trail.
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Recorded run \d+ in the audit trail"))).to_be_visible()
    page.goto(saved.as_uri())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Liability reserve: Mid-size Japanese")
    expect(page.get_by_role("heading", name="Audit")).to_be_visible()
    assert page.locator("svg polygon").count() >= 3  # the ladder chart's bands
    # The same risk section as `reserve-opt report`: the example has no scenarios:, so the labelled default model.
    expect(page.get_by_role("heading", name="Risk: what the mix pays when the hack comes")).to_be_visible()
    expect(page.get_by_text("calibrated default loss model", exact=False)).to_be_visible()
    page.screenshot(path=SHOTS / "board-report.png", full_page=True)
