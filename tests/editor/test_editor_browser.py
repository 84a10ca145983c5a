"""The editor flow in a real headless Chromium: edit a matter with the list buttons (htmx, and
without JavaScript), save, submit, approve as reviewer, compare versions; and the department
site checked with axe-core."""

from pathlib import Path

import pytest

from portal.extensions import db
from portal.models import Article, utcnow

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(app, live_server, make_department, make_matter, make_user):
    department = make_department("市测试局", address="市政府大楼 3 楼", phone="0546-1234567")
    matter = make_matter(department, name="测试许可事项", status="draft")
    make_matter(department, name="已发布的事项", status="published")
    db.session.add(Article(department=department, column="通知公告", title="关于开展测试工作的通知",
                           slug="notice-1", body_html="<p>正文。</p>", status="published", published_at=utcnow()))
    db.session.commit()
    return {"department": department, "matter": matter, "server": live_server,
            "editor": make_user("editor", department=department),
            "reviewer": make_user("reviewer", department=department)}


def signed_in_page(app, browser, server, user, **options):
    """A browser context carrying the session cookie a sign-in would set (made with the app's own signer)."""
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": str(user.id), "_fresh": True})
    context = browser.new_context(locale="zh-CN", **options)
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": server}])
    return context, context.new_page()


def shot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"editor-{name}.png"), full_page=True)


def test_edit_submit_approve_and_compare(app, browser, desk, axe_violations):
    server, matter = desk["server"], desk["matter"]
    context, page = signed_in_page(app, browser, server, desk["editor"])
    page.goto(server + "/editor/")
    page.get_by_role("link", name="测试许可事项").click()
    page.get_by_label("事项名称").fill("测试许可事项（新）")
    page.evaluate("window.stillTheSamePage = true")
    page.locator("#list-materials").get_by_role("button", name="添加一行").click()
    new_row = page.locator("#materials-1-name")
    new_row.wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'materials-1-name'")
    new_row.fill("营业执照")
    assert page.evaluate("window.stillTheSamePage === true")  # htmx swapped the list in place
    shot(page, "edit")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("已保存（第 2 版）").wait_for()
    page.get_by_role("button", name="提交审核").click()
    page.get_by_text("当前状态：待审核").wait_for()
    context.close()

    context, page = signed_in_page(app, browser, server, desk["reviewer"], bypass_csp=True)  # for axe
    page.goto(server + "/editor/review")
    page.get_by_role("link", name="测试许可事项（新）").click()
    page.get_by_role("button", name="审核通过并发布").click()
    page.get_by_text("当前状态：已发布").wait_for()
    page.get_by_role("link", name="版本历史与对比").click()
    page.goto(page.url + "?a=1&b=4")
    diff = page.locator("table.diff")
    assert "测试许可事项（新）" in diff.inner_text() and "营业执照" in diff.inner_text()
    shot(page, "history")
    assert axe_violations(page) == []
    context.close()
    db.session.refresh(matter)
    assert matter.status == "published" and [m.name for m in matter.materials] == ["身份证", "营业执照"]


def test_list_buttons_work_without_javascript(app, browser, desk):
    context, page = signed_in_page(app, browser, desk["server"], desk["editor"], java_script_enabled=False)
    page.goto(f"{desk['server']}/editor/matters/{desk['matter'].code}/edit")
    steps = page.locator("#list-steps")
    steps.get_by_role("button", name="添加一行").click()
    page.locator("#steps-0-name").fill("受理")
    page.locator("#list-steps").get_by_role("button", name="添加一行").click()
    page.locator("#steps-1-name").fill("审查")
    page.locator("#list-steps").get_by_role("button", name="上移").click()
    assert page.locator("#steps-0-name").input_value() == "审查"
    assert page.evaluate("document.activeElement.id") == "steps-0-name"  # the moved row keeps the focus
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("已保存（第 2 版）").wait_for()
    context.close()
    db.session.refresh(desk["matter"])
    assert [step.name for step in desk["matter"].steps] == ["审查", "受理"]


@pytest.mark.parametrize("path", [
    "/dept/", "/dept/{slug}/", "/dept/{slug}/articles/notice-1", "/dept/{slug}/columns/通知公告",
])
def test_department_site_has_no_serious_accessibility_violations(browser, desk, axe_violations, path):
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(desk["server"] + path.format(slug=desk["department"].slug))
    assert "市测试局" in page.locator("main").inner_text()
    shot(page, "dept-" + path.split("/")[-2 if path.endswith("/") else -1].replace("{slug}", "home"))
    try:
        assert axe_violations(page) == []
    finally:
        context.close()


def test_editor_page_has_no_serious_accessibility_violations(app, browser, desk, axe_violations):
    context, page = signed_in_page(app, browser, desk["server"], desk["editor"], bypass_csp=True)
    page.goto(f"{desk['server']}/editor/matters/{desk['matter'].code}/edit")
    try:
        assert axe_violations(page) == []
    finally:
        context.close()


def test_pages_fit_a_phone_screen(app, browser, desk):
    context, page = signed_in_page(app, browser, desk["server"], desk["editor"], viewport={"width": 375, "height": 740})
    for path in (f"/dept/{desk['department'].slug}/", "/editor/", f"/editor/matters/{desk['matter'].code}/edit"):
        page.goto(desk["server"] + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    shot(page, "edit-phone")
    context.close()
