"""The oversight pages in headless Chromium after a real Keycloak sign-in: axe-core (no serious
violations), and the same tasks with JavaScript off. Screenshots go to test-results/oversight-*.png."""

from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Platform

pytestmark = [pytest.mark.integration, pytest.mark.browser]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"oversight-{name}.png"), full_page=True)


@pytest.fixture
def demo_department_platform(registry, make_department):
    """The realm's demo editor belongs to department `demo-dept`."""
    demo = make_department("示范部门", code="demo-dept")
    platform = Platform(code="demo.example", name="示范部门审批系统", base_url="https://demo.example",
                        department=demo)
    db.session.add(platform)
    db.session.commit()
    return platform


def test_an_administrator_edits_a_platform_and_reads_the_audit_log(browser_sign_in, portal_server, registry,
                                                                   axe_violations):
    context, page = browser_sign_in("admin", "/admin/platforms", bypass_csp=True)
    _screenshot(page, "platforms")
    assert axe_violations(page) == []
    page.get_by_role("link", name="公安办事系统", exact=True).click()
    page.get_by_label("状态").select_option("integrating")
    page.get_by_label("联系人及电话").fill("信息中心")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("已保存平台信息。").is_visible()
    _screenshot(page, "platform")
    assert axe_violations(page) == []
    page.get_by_role("link", name="查看本平台的修改记录").click()
    assert page.get_by_role("cell", name="信息中心").is_visible()
    _screenshot(page, "audit")
    assert axe_violations(page) == []
    context.close()


def test_a_department_editor_sees_only_their_own_platforms_without_javascript(browser_sign_in, portal_server,
                                                                              demo_department_platform):
    context, page = browser_sign_in("editor", "/admin/platforms", java_script_enabled=False)
    assert page.get_by_role("link", name="示范部门审批系统").is_visible()
    assert page.get_by_role("link", name="公安办事系统", exact=True).count() == 0
    page.get_by_role("link", name="示范部门审批系统").click()
    assert page.get_by_label("访问地址（电脑端）").count() == 0  # administrators' field
    page.get_by_label("备注").fill("计划接入统一身份认证")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("已保存平台信息。").is_visible()
    db.session.expire_all()
    assert db.session.scalar(select(Platform.notes).where(Platform.code == "demo.example")) == "计划接入统一身份认证"
    assert db.session.scalar(select(AuditLog.actor_name).where(AuditLog.entity_id == "demo.example")) == "editor"
    context.close()


def test_a_merge_without_javascript(browser_sign_in, portal_server, registry):
    context, page = browser_sign_in("admin", "/admin/platforms/gaj.example",
                             java_script_enabled=False)
    page.get_by_label("要并入本平台的重复平台编码").fill("old-gaj.example")
    page.get_by_role("button", name="并入本平台").click()
    assert page.get_by_text("已将 公安办事系统（旧） 并入本平台，转移事项 1 项。").is_visible()
    context.close()


def test_the_report_records_a_decision_without_javascript_and_is_accessible(browser_sign_in, portal_server, registry,
                                                                           axe_violations):
    context, page = browser_sign_in("admin", "/admin/platforms/report", java_script_enabled=False)
    row = page.locator("tr", has=page.get_by_role("link", name="公安办事系统（旧）"))
    row.get_by_text("记录决定").click()  # <details> opens without JavaScript
    row.get_by_label("决定", exact=True).select_option("merge")
    row.get_by_label("并入的平台编码（决定为并入时填写）").fill("gaj.example")
    row.get_by_role("button", name="保存决定").click()
    assert page.get_by_text("已记录对 公安办事系统（旧） 的决定。").is_visible()
    assert page.get_by_text("并入 公安办事系统（gaj.example）").is_visible()
    context.close()
    context, page = browser_sign_in("admin", "/admin/platforms/report", bypass_csp=True)
    _screenshot(page, "report")
    assert axe_violations(page) == []
    context.close()


def test_the_dashboard_charts_render_without_javascript_and_are_accessible(browser_sign_in, portal_server, registry,
                                                                          axe_violations):
    from portal.models import LinkThrough, Matter, utcnow

    matter = db.session.scalar(select(Matter).where(Matter.code == "M-ID"))
    db.session.add_all(LinkThrough(at=utcnow(), matter_id=matter.id, platform_id=matter.platform_id) for _ in range(3))
    db.session.commit()
    context, page = browser_sign_in("admin", "/admin/", java_script_enabled=False)
    page.get_by_role("link", name="近 4 周").click()
    assert page.get_by_text("当前范围：").is_visible()
    chart = page.get_by_role("img", name="图表：每周办理跳转（跳转最多的 5 个平台）。数据见旁边的表格。")
    chart.scroll_into_view_if_needed()
    # The SVG loaded and drew (waiting for it when it is still on its way: a busy machine is slow to serve it).
    assert chart.evaluate("""image => image.complete ? image.naturalWidth > 0 : new Promise(resolve => {
        image.addEventListener("load", () => resolve(image.naturalWidth > 0));
        image.addEventListener("error", () => resolve(false));
    })""")
    table = page.get_by_role("table", name="每周办理跳转（跳转最多的 5 个平台）")
    assert table.get_by_role("columnheader", name="公安办事系统").is_visible()
    context.close()
    context, page = browser_sign_in("admin", "/admin/", bypass_csp=True)
    _screenshot(page, "dashboard")
    assert axe_violations(page) == []
    context.close()
