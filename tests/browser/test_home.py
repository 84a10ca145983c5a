"""The home page in a real headless Chromium, and the language switch."""

import pytest


@pytest.mark.browser
def test_home_page_loads_and_switches_to_english_and_back(live_server, page):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("link", name="一网通办政务服务门户").is_visible()
    assert page.get_by_role("search").is_visible()

    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="One-Stop Government Services Portal").is_visible()

    page.goto(live_server + "/")  # remembered on the next visit
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-CN"


@pytest.mark.browser
def test_home_page_fits_a_phone_screen(live_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server + "/")
    page.screenshot(path=tmp_path / "home-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
