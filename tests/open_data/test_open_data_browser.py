"""The open data pages in a real headless Chromium: accessibility (axe-core) and use without JavaScript."""

import pytest

from portal.open_data import resources


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/open/", "/open/matters", "/open/matter-steps", "/open/licence", "/open/resources",
                                  "/open/resources/PORTAL-OPEN-matters"])
def test_open_data_pages_have_no_serious_accessibility_violations(live_server, sample, browser, axe_violations, path):
    resources.seed_resources()
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(live_server + path)
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.browser
def test_a_dataset_is_found_and_downloaded_without_javascript(live_server, sample, browser):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(live_server + "/open/")
        page.get_by_role("link", name="政务服务事项目录", exact=True).click()
        assert page.get_by_role("heading", level=1).inner_text() == "政务服务事项目录"
        with page.expect_download() as download:
            page.get_by_role("link", name="matters.csv").click()
        text = open(download.value.path(), encoding="utf-8-sig").read()
        assert text.splitlines()[0].startswith("code,name,")
        assert "发票领用" in text
    finally:
        context.close()
