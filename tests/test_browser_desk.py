"""The Insurer and Plan pages filled in, in a real browser, in English and Japanese.

The screenshots of every page (tests/test_browser.py) show these two pages as a fresh session
finds them: a plan offered, a market not yet priced. This test loads the plan example and
prices a market, then saves both pages in both languages under tests/artifacts/screenshots/
({en,ja}-plan-example.png, {en,ja}-insurer-market.png) to be looked at.
"""

import re

from test_browser import (
    SHOTS,
    _choose,
    _metric,
    _number_input,
    _settle,
    _switch_language,
    browser_page,
    chromium,
    server,
)

__all__ = ["browser_page", "chromium", "server"]  # the fixtures, shared with test_browser.py


def _price_the_market(page):
    for label, value in (("Lowest rate on line", "1"), ("Highest rate on line", "8"), ("Step", "0.5")):
        box = _number_input(page, label).locator("input")
        box.fill(value)
        box.press("Enter")
        _settle(page)
    page.get_by_role("button", name="Price the market").click()
    _settle(page)


def _shoot(page, name):
    page.wait_for_timeout(1500)  # let Vega finish drawing
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    assert (SHOTS / f"{name}.png").stat().st_size > 20_000


def test_insurer_and_plan_filled_in_screenshots_in_both_languages(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": 1440, "height": 2600})  # the whole page in one viewport
    expect(page.get_by_role("heading", name="Case", exact=True)).to_be_visible()
    _choose(page, "Example case", "jp-midsize-plan.yaml")
    page.get_by_role("button", name="Load example").click()
    _settle(page)

    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page.get_by_role("heading", name="Plan", exact=True)).to_be_visible()
    expect(_metric(page, "Discounted cost of the plan")).to_have_text("¥886m")
    _shoot(page, "en-plan-example")

    page.get_by_role("link", name="Insurer", exact=True).click()
    expect(page.get_by_role("heading", name="Insurer", exact=True)).to_be_visible()
    _settle(page)
    _price_the_market(page)
    expect(_metric(page, "Technical rate on line")).to_have_text(re.compile(r"^\d+(\.\d+)?%$"))
    _shoot(page, "en-insurer-market")

    _switch_language(page, "日本語")
    expect(page.get_by_role("heading", name="保険会社", exact=True)).to_be_visible()
    _settle(page)
    expect(_metric(page, "テクニカル料率 ROL")).to_have_text(re.compile(r"^\d+(\.\d+)?%$"))
    main = page.locator('[data-testid="stMain"]')
    for english in ("Technical rate", "rate on line", "Price the market", "bought just below", "Demand for"):
        expect(main).not_to_contain_text(english)
    _shoot(page, "ja-insurer-market")

    page.get_by_role("link", name="計画", exact=True).click()
    expect(page.get_by_role("heading", name="計画", exact=True)).to_be_visible()
    expect(_metric(page, "計画の割引後コスト")).to_have_text("8.86億円")
    for english in ("Discounted cost", "Set-aside capacity", "The mix over the years", "Levers"):
        expect(main).not_to_contain_text(english)
    _shoot(page, "ja-plan-example")
    _switch_language(page, "English")
    expect(page.get_by_role("heading", name="Plan", exact=True)).to_be_visible()
