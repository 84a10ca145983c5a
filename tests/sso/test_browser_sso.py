"""Single sign-on in headless Chromium: the portal, Keycloak and the demo department platform,
all real. Screenshots go to test-results/sso-*.png."""

import re
from pathlib import Path

import pytest

from portal.extensions import db
from portal.models import Platform, SsoSession
from tests.sso.conftest import DEPT_DEMO_CLIENT
from tests.sso.servers import fill_keycloak_login

pytestmark = [pytest.mark.integration, pytest.mark.browser]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"
MATTER_CODE = "M-SSO-BROWSER"
MATTER_NAME = "食品经营许可（示范）"


@pytest.fixture
def page(browser):
    """A Chinese-language page whose CSP lets axe-core be injected."""
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def matter_on_dept_demo(make_department, make_matter, dept_demo_server):
    department = make_department("示范业务部门")
    platform = Platform(code="P-DEPT-DEMO", name="示范部门业务系统", department=department,
                        base_url=dept_demo_server, sso_client_id=DEPT_DEMO_CLIENT[0])
    db.session.add(platform)
    db.session.commit()
    return make_matter(department, code=MATTER_CODE, name=MATTER_NAME, status="published", platform=platform,
                       handling_url=f"{dept_demo_server}/apply/{MATTER_CODE}")


def _screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _active_portal_sessions():
    db.session.expire_all()
    return db.session.query(SsoSession).filter(SsoSession.ended_at.is_(None)).count()


def test_signed_in_on_the_portal_means_signed_in_on_the_department_platform_and_out_everywhere(
        page, portal_server, dept_demo_server, matter_on_dept_demo):
    page.goto(f"{portal_server}/matters/{MATTER_CODE}")
    page.get_by_role("link", name="登录", exact=True).click()
    page.wait_for_selector("#kc-form-login")
    _screenshot(page, "sso-keycloak-login")
    fill_keycloak_login(page, "citizen")
    page.wait_for_url(f"{portal_server}/matters/{MATTER_CODE}")
    assert page.get_by_role("link", name=re.compile("我的（王小明）")).is_visible()

    page.get_by_role("link", name=re.compile("在线办理")).click()
    page.wait_for_url(f"{dept_demo_server}/apply/{MATTER_CODE}")
    _screenshot(page, "sso-dept-demo-apply")
    assert page.locator("h1.greeting").inner_text() == "您好，王小明"
    assert page.locator(".matter-name").inner_text() == MATTER_NAME
    assert page.locator("input[type=password]").count() == 0

    page.goto(f"{portal_server}/")
    page.get_by_role("button", name="退出", exact=True).click()
    page.wait_for_url(f"{portal_server}/")
    _screenshot(page, "sso-portal-signed-out")
    assert page.get_by_role("link", name="登录", exact=True).is_visible()
    assert _active_portal_sessions() == 0

    # the department platform's next request finds its session gone: Keycloak asks for a password
    page.goto(f"{dept_demo_server}/apply/{MATTER_CODE}")
    page.wait_for_selector("#kc-form-login")
    assert page.locator("#password").is_visible()


def test_signing_out_on_the_department_platform_signs_out_of_the_portal(
        page, portal_server, dept_demo_server, matter_on_dept_demo, axe_violations):
    page.goto(f"{portal_server}/login?next=/me")
    fill_keycloak_login(page, "enterprise")
    page.wait_for_url(f"{portal_server}/me")
    _screenshot(page, "sso-me-enterprise")
    assert axe_violations(page) == []
    assert _active_portal_sessions() == 1
    page.goto(f"{portal_server}/logout")
    assert axe_violations(page) == []

    page.goto(f"{dept_demo_server}/apply/{MATTER_CODE}")
    assert page.locator("h1.greeting").inner_text() == "您好，李经办"
    assert axe_violations(page) == []
    page.get_by_role("button", name="退出", exact=True).click()
    page.wait_for_url(f"{dept_demo_server}/")
    assert page.get_by_role("link", name="统一身份认证登录").is_visible()

    assert _active_portal_sessions() == 0
    page.goto(f"{portal_server}/me")
    page.wait_for_selector("#kc-form-login")
    assert page.locator("#password").is_visible()


def test_a_refused_sign_in_page_is_accessible(page, portal_server, axe_violations):
    page.goto(f"{portal_server}/auth/callback?state=forged&code=forged")

    assert "登录请求已失效或来源不明" in page.locator("[role=alert]").inner_text()
    assert axe_violations(page) == []
