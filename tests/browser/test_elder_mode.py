"""适老化 mode in a real browser: switched by a plain link (no JavaScript), remembered in a cookie,
20 px body text, larger targets and no axe-core violation — AAA text contrast included — on the
public pages, in both modes."""

import pytest

from portal.extensions import db

pytestmark = pytest.mark.browser

PAGES = ["/", "/matters", "/matters/{code}", "/answers", "/answers/{answer}", "/dept/", "/search?q=失业"]


@pytest.fixture
def content(make_department, make_matter, make_answer):
    department = make_department("市人力资源和社会保障局", slug="hrss")
    matter = make_matter(department, code="ELDER-1", name="失业登记", status="published")
    answer = make_answer(department, "失业了怎么领失业金", "<p>携带身份证到社保窗口办理。</p>", matters=[matter])
    db.session.commit()
    return {"code": matter.code, "answer": answer.id}


def _paths(content):
    return [path.format(**content) for path in PAGES]


def test_the_switch_works_without_javascript_and_is_remembered(live_server, browser, content):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/answers")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "16px"
    page.get_by_role("link", name="适老化模式（大字体、高对比度）").click()
    page.wait_for_load_state()
    assert page.url.endswith("/answers")
    assert page.locator("html").get_attribute("class") == "mode-elder"
    assert float(page.evaluate("getComputedStyle(document.body).fontSize")[:-2]) >= 18
    assert "display_mode" in {cookie["name"] for cookie in context.cookies()}
    page.goto(live_server + "/")  # remembered on the next page
    assert page.locator("html").get_attribute("class") == "mode-elder"
    search_button = page.get_by_role("search").get_by_role("button").bounding_box()
    assert search_button["height"] >= 44
    page.get_by_role("link", name="退出适老化模式").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("class") is None
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_public_pages_pass_axe_in_both_modes(live_server, browser, content, axe_violations, elder, width):
    # bypass_csp: axe is injected
    context = browser.new_context(locale="zh-CN", bypass_csp=True, viewport={"width": width, "height": 900})
    if elder:
        context.add_cookies([{"name": "display_mode", "value": "elder", "url": live_server}])
    page = context.new_page()
    found = {}
    for path in _paths(content):
        page.goto(live_server + path)
        assert (page.locator("html").get_attribute("class") == "mode-elder") == elder
        violations = axe_violations(page, enhanced_contrast=elder)
        if violations:
            found[path] = violations
    context.close()
    assert found == {}


def test_elder_mode_fits_a_phone_without_losing_content(live_server, browser, content):
    for elder in (False, True):
        context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740})
        if elder:
            context.add_cookies([{"name": "display_mode", "value": "elder", "url": live_server}])
        page = context.new_page()
        page.goto(live_server + f"/matters/{content['code']}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, elder
        assert page.get_by_role("heading", name="失业登记").is_visible()
        context.close()


def _signed_in(app, browser, server, user, **options):
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": str(user.id), "_fresh": True})
    context = browser.new_context(locale="zh-CN", **options)
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": server}])
    return context


@pytest.fixture
def staff(content, make_user):
    from portal.models import Department, Platform

    department = db.session.scalar(db.select(Department).where(Department.slug == "hrss"))
    # Real platform names are long (the matter form's platform list showed them and pushed the page wide).
    db.session.add(Platform(code="long-platform", department_id=department.id, base_url="https://example.gov.cn",
                            name="广东政务服务网（广东省人力资源和社会保障厅社会保险业务网上经办服务平台个人业务专区统一入口）"))
    db.session.commit()
    return {"editor": make_user("editor", department=department), "operator": make_user("operator")}


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_staff_pages_pass_axe_in_both_modes(app, live_server, browser, content, staff, axe_violations, elder, width):
    pages = {
        "editor": ["/editor/", f"/editor/matters/{content['code']}/edit", "/knowledge/",
                   f"/knowledge/{content['answer']}/edit"],
        "operator": ["/hotline/", f"/hotline/?answer={content['answer']}"],
    }
    found = {}
    for role, paths in pages.items():
        context = _signed_in(app, browser, live_server, staff[role], bypass_csp=True,
                             viewport={"width": width, "height": 900})
        if elder:
            context.add_cookies([{"name": "display_mode", "value": "elder", "url": live_server}])
        page = context.new_page()
        for path in paths:
            page.goto(live_server + path)
            assert page.title() and page.evaluate("document.documentElement.classList.contains('mode-elder')") == elder
            violations = axe_violations(page, enhanced_contrast=elder)
            if violations:
                found[path] = violations
        context.close()
    assert found == {}


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_the_editor_form_does_not_scroll_sideways_on_a_phone(app, live_server, browser, content, staff, elder):
    """Issue 14 item 9: at 375 px the matter form scrolled sideways."""
    context = _signed_in(app, browser, live_server, staff["editor"], viewport={"width": 375, "height": 740})
    if elder:
        context.add_cookies([{"name": "display_mode", "value": "elder", "url": live_server}])
    page = context.new_page()
    for path in (f"/editor/matters/{content['code']}/edit", f"/knowledge/{content['answer']}/edit", "/editor/"):
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 376).slice(0, 5)
                .map(e => e.tagName + '.' + e.className + '#' + e.id)""")
            pytest.fail(f"{path} is {width}px wide: {wide}")
    context.close()
