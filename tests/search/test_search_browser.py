"""The search page in a real headless Chromium: suggestions as you type (htmx), filters, and the
same page with JavaScript switched off; screenshots in /tmp for a person to look at."""

import tempfile
from pathlib import Path

import pytest

SCREENSHOTS = Path(tempfile.gettempdir())

pytestmark = pytest.mark.browser


def test_suggestions_as_you_type_then_results_and_a_filter(search_index, live_server, page):
    page.goto(live_server + "/search")
    page.locator("#site-search").press_sequentially("shiye", delay=50)
    suggestion = page.locator("#site-search-suggestions a", has_text="失业登记")
    suggestion.wait_for()
    page.screenshot(path=SCREENSHOTS / "search-suggestions.png", full_page=True)

    page.locator("#site-search").fill("驾驶证")
    page.locator("#site-search").press("Enter")
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


def test_the_header_box_suggests_on_every_page_and_keeps_the_tab_on_search(search_index, live_server, page):
    """Issue 14 item 4: one box, with suggestions, on every page."""
    page.goto(live_server + "/matters")
    assert page.get_by_role("search").count() == 1
    page.locator("#site-search").press_sequentially("shiye", delay=50)
    suggestion = page.locator("#site-search-suggestions a", has_text="失业登记")
    suggestion.wait_for()
    page.screenshot(path=SCREENSHOTS / "header-suggestions.png")
    suggestion.click()
    page.wait_for_load_state()
    assert page.url.endswith("/matters/T-003")  # the suggestion's guide (the index's record; no row here)

    page.goto(live_server + "/search?q=驾驶证&type=answer")
    assert page.get_by_role("search").count() == 1
    assert page.locator("#site-search").input_value() == "驾驶证"
    page.locator("#site-search").fill("失业")
    page.locator("#site-search").press("Enter")
    page.wait_for_load_state()
    assert "type=answer" in page.url and "q=%E5%A4%B1%E4%B8%9A" in page.url


def test_escape_closes_the_suggestions_and_returns_to_the_box(search_index, live_server, page):
    """WCAG 1.4.13 / 2.1.1: the suggestions shown under the header's box close on Escape, from the box
    (the typed words stay) and from a suggestion reached with Tab (the focus goes back to the box)."""
    suggestions = page.locator("#site-search-suggestions")
    box = page.locator("#site-search")
    page.goto(live_server + "/matters")
    box.press_sequentially("shiye", delay=50)
    suggestions.locator("a", has_text="失业登记").wait_for()
    box.press("Escape")
    assert not suggestions.is_visible() and box.input_value() == "shiye"
    assert page.evaluate("document.activeElement.id") == "site-search"

    box.press_sequentially("d", delay=50)
    suggestions.locator("a").first.wait_for()
    box.press("Tab")
    assert page.evaluate("document.activeElement.closest('#site-search-suggestions') !== null")
    page.keyboard.press("Escape")
    assert not suggestions.is_visible()
    assert page.evaluate("document.activeElement.id") == "site-search" and box.input_value() == "shiyed"
    page.wait_for_timeout(400)  # a suggestion request still on its way does not open them again
    assert not suggestions.is_visible()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_search_page_passes_axe_with_suggestions_open(search_index, live_server, browser, axe_violations, width,
                                                     elder):
    context = browser.new_context(bypass_csp=True, locale="zh-CN", viewport={"width": width, "height": 900})
    if elder:
        context.add_cookies([{"name": "display_mode", "value": "elder", "url": live_server}])
    page = context.new_page()
    found = {}
    for path in ("/search?q=驾驶证", "/search?q=失业&type=answer", "/search", "/"):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        if violations := axe_violations(page, enhanced_contrast=elder):
            found[path] = violations
    page.locator("#site-search").fill("")
    page.locator("#site-search").press_sequentially("jiashi", delay=30)
    page.locator("#site-search-suggestions a").first.wait_for()
    page.screenshot(path=SCREENSHOTS / f"search-suggestions-{width}-{'elder' if elder else 'standard'}.png")
    if violations := axe_violations(page, enhanced_contrast=elder):
        found["suggestions open"] = violations
    context.close()
    assert found == {}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("width", [1280, 375])
def test_search_page_screenshots(search_index, live_server, browser, width, javascript):
    """For a person to look at: /search at desktop and phone width, with and without JavaScript."""
    context = browser.new_context(java_script_enabled=javascript, locale="zh-CN",
                                  viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/search?q=驾驶证")
    page.screenshot(path=SCREENSHOTS / f"search-{width}-{'js' if javascript else 'nojs'}.png", full_page=True)
    assert page.get_by_role("search").count() == 1 and page.locator("#site-search").input_value() == "驾驶证"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
