"""The public pages in a real headless Chromium: accessibility (axe-core), no-JavaScript use, phone width."""

from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Department
from tests.catalogue.conftest import make_sample_catalogue

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def catalogue_site(app, live_server):
    make_sample_catalogue()
    return live_server


@pytest.mark.browser
@pytest.mark.parametrize("path, name", [
    ("/", "home"), ("/matters", "browse"), ("/matters?life_event=出生一件事", "browse-filtered"),
    ("/matters/M-BIRTH", "guide"), ("/matters/M-HUKOU", "guide-offline"), ("/matters/M-BIRTH/print", "print"),
])
def test_public_pages_have_no_serious_accessibility_violations(catalogue_site, browser, axe_violations, path, name):
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(catalogue_site + path)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"catalogue-{name}.png"), full_page=True)
    try:
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.browser
def test_the_guide_works_without_javascript_from_browse_to_the_start_button(catalogue_site, browser):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(catalogue_site + "/matters")
    page.get_by_role("link", name="出生一件事").first.click()
    page.get_by_role("link", name="出生医学证明办理").click()
    assert page.get_by_role("heading", name="简版办事指南").is_visible()
    start = page.get_by_role("link", name="在线办理")
    assert start.get_attribute("href") == "/go/M-BIRTH"
    assert page.get_by_text("本事项暂未提供收费信息").first.is_visible()
    assert page.get_by_role("link", name="登录后评价").is_visible()
    context.close()


@pytest.mark.browser
def test_the_guide_fits_a_phone_screen(catalogue_site, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(catalogue_site + "/matters/M-BIRTH")
    page.screenshot(path=str(SCREENSHOTS / "catalogue-guide-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def _signed_in_context(browser, app, base_url, user, **options):
    """A browser context carrying the session cookie a sign-in leaves (the Keycloak part is the SSO tests')."""
    context = browser.new_context(locale="zh-CN", **options)
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": str(user.id), "_fresh": True})
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": base_url}])
    return context


@pytest.mark.browser
def test_a_citizen_rates_a_matter_and_its_department_answers(catalogue_site, browser, app, make_user,
                                                              axe_violations):
    citizen = make_user("citizen")
    context = _signed_in_context(browser, app, catalogue_site, citizen)
    page = context.new_page()
    page.goto(catalogue_site + "/")
    page.get_by_role("link", name="出生一件事").click()
    page.get_by_role("link", name="出生医学证明办理").click()
    page.get_by_label("不满意", exact=True).check()
    page.get_by_label("评价内容（选填）").fill("材料清单不清楚")
    page.get_by_role("button", name="提交评价").click()
    assert page.get_by_text("我们已通知实施部门在 15 个工作日内整改并答复").is_visible()
    assert page.get_by_text("您已评价：不满意").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "catalogue-guide-rated.png"), full_page=True)

    with page.expect_request(lambda request: request.url == "http://127.0.0.1:8001/apply/M-BIRTH"):
        try:
            page.get_by_role("link", name="在线办理").click()
        except Exception:  # noqa: BLE001, S110 - the demo platform need not be running for this test
            pass
    context.close()

    health = db.session.scalar(select(Department).where(Department.code == "D-HEALTH"))
    editor = make_user("editor", department=health)
    context = _signed_in_context(browser, app, catalogue_site, editor, bypass_csp=True)
    page = context.new_page()
    page.goto(catalogue_site + "/ratings/rectifications")
    assert page.get_by_text("材料清单不清楚").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("整改情况").fill("已在办事指南中补充材料说明")
    page.get_by_role("button", name="提交整改").click()
    assert page.get_by_text("已提交整改情况。").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "catalogue-rectifications.png"), full_page=True)
    context.close()
