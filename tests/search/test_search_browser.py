"""The search page in a real headless Chromium: suggestions as you type (htmx), filters, and the
same page with JavaScript switched off; screenshots in /tmp for a person to look at."""

import tempfile
from pathlib import Path

import pytest

SCREENSHOTS = Path(tempfile.gettempdir())

pytestmark = pytest.mark.browser


def test_suggestions_as_you_type_then_results_and_a_filter(search_index, live_server, page):
    page.goto(live_server + "/search")
    page.locator("#search-q").press_sequentially("shiye", delay=50)
    suggestion = page.locator("#search-suggestions a", has_text="失业登记")
    suggestion.wait_for()
    page.screenshot(path=SCREENSHOTS / "search-suggestions.png", full_page=True)

    page.locator("#search-q").fill("驾驶证")
    page.locator("#search-q").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("link", name="办事 (2)").is_visible()
    page.screenshot(path=SCREENSHOTS / "search-results.png", full_page=True)
    page.get_by_role("link", name="市公安局").first.click()
    page.wait_for_load_state()
    assert "department=" in page.url


def test_search_works_without_javascript_on_a_phone(search_index, live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server + "/search?q=" + "失业")
    page.screenshot(path=SCREENSHOTS / "search-nojs-phone.png", full_page=True)
    assert page.get_by_role("heading", name="找到 3 条结果").is_visible()  # 2 matters, 1 answer
    page.get_by_role("link", name="问答 (1)").click()
    assert "type=answer" in page.url
    page.goto(live_server + "/search?q=量子纠缠望远镜")
    assert page.get_by_text("12345").first.is_visible()
    page.screenshot(path=SCREENSHOTS / "search-zero-phone.png", full_page=True)
    page.goto(live_server + "/search/suggest?q=shiye")
    assert page.get_by_role("link", name="失业登记").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_a_weak_match_page_is_honest_and_accessible(search_index, live_server, browser, axe_violations):
    context = browser.new_context(bypass_csp=True, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server + "/search?q=" + "孩子出国留学要注意什么")
    assert page.get_by_text("明确对应的办事服务").is_visible()
    assert page.get_by_role("heading", name="可能相关的事项").is_visible()
    page.screenshot(path=SCREENSHOTS / "search-weak-match.png", full_page=True)
    assert axe_violations(page) == []
    context.close()
