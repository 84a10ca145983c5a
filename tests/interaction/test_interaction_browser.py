"""The whole loop in headless Chromium against the real Keycloak and Elasticsearch: a citizen writes
(JavaScript off), the 12345 centre routes with the suggestion, the department's editor signs for it
and replies, the reviewer approves (four eyes), the citizen rates (JavaScript off), and the message
is public and found in the search's 问答 tab. axe-core checks every new page on the way."""

import uuid

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Department, Message
from portal.site_search import index as search_index

pytestmark = [pytest.mark.integration, pytest.mark.browser]
TITLE = "希望在青枫路口增设人行横道信号灯"
BODY = "青枫路口每天上下学时段车流量大，孩子过马路很危险，希望增设人行横道和信号灯。我的电话13812345678。"


@pytest.fixture
def demo_department(app):
    """The department the realm's demo editor and reviewer belong to (department_code demo-dept)."""
    department = db.session.scalar(db.select(Department).where(Department.code == "demo-dept"))
    if department is None:
        department = Department(code="demo-dept", name="示范交通运输局", slug=f"demo-dept-{uuid.uuid4().hex[:6]}")
        db.session.add(department)
        db.session.commit()
    return department


def _accessible(page, axe_violations):
    page.wait_for_load_state()
    found = axe_violations(page)
    assert found == [], f"{page.url}: {found}"


def test_citizen_centre_department_reviewer_and_back_to_the_public(
        app, browser, browser_sign_in, portal_server, elasticsearch, demo_department, axe_violations):
    # Anonymous visitors are sent to sign in.
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    anonymous = context.new_page()
    anonymous.goto(f"{portal_server}/messages/new")
    anonymous.wait_for_selector("#kc-form-login")
    context.close()

    # 1. The citizen writes, without JavaScript; the phone number in the text is announced first.
    context, page = browser_sign_in("citizen", "/messages/new", bypass_csp=True, java_script_enabled=False)
    page.get_by_label("求助").check()
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("留言内容").fill(BODY)
    page.get_by_label("同意公开（个人信息将被遮盖）").check()
    page.get_by_role("button", name="提交留言").click()
    expect(page.get_by_text("您的留言中有电话号码或身份证号码。")).to_be_visible()
    page.get_by_label("我已知晓：公开时其中的电话号码和身份证号码将被遮盖").check()
    page.get_by_role("button", name="提交留言").click()
    page.wait_for_url(f"{portal_server}/me/messages")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_text("待分办")).to_be_visible()
    context.close()
    message = db.session.scalar(db.select(Message).where(Message.title == TITLE))

    # 2. The 12345 centre routes it to the demo department.
    context, page = browser_sign_in("operator", "/interaction/centre", bypass_csp=True)
    _accessible(page, axe_violations)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("系统建议")).to_be_visible()
    _accessible(page, axe_violations)
    page.get_by_label("分类").select_option("城乡建设")
    page.get_by_label("承办部门").select_option(str(demo_department.id))
    page.get_by_role("button", name="分办").click()
    page.wait_for_url(f"{portal_server}/interaction/centre")
    context.close()

    # 3. The department's editor signs for it and replies.
    context, page = browser_sign_in("editor", "/interaction/department", bypass_csp=True)
    _accessible(page, axe_violations)
    page.get_by_role("link", name=TITLE).click()
    _accessible(page, axe_violations)
    page.get_by_role("button", name="签收").click()
    page.get_by_label("答复内容").fill("经现场勘查，青枫路口将于下月增设人行横道和信号灯。")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("答复已提交审核")).to_be_visible()
    context.close()

    # 4. The reviewer approves it (not the editor who wrote it).
    context, page = browser_sign_in("reviewer", f"/interaction/department/{message.id}", bypass_csp=True)
    page.get_by_label("通过，发送给留言人").check()
    page.get_by_role("button", name="提交审核意见").click()
    expect(page.get_by_text("答复已审核通过并发送给留言人。")).to_be_visible()
    context.close()

    # 5. The citizen reads the reply and rates it, without JavaScript.
    context, page = browser_sign_in("citizen", f"/messages/{message.id}", bypass_csp=True, java_script_enabled=False)
    expect(page.get_by_text("青枫路口将于下月增设人行横道和信号灯")).to_be_visible()
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("感谢您的评价。")).to_be_visible()
    expect(page.get_by_role("button", name="提交评价")).to_have_count(0)
    page.goto(f"{portal_server}/me/messages")
    expect(page.get_by_text("已办结")).to_be_visible()
    context.close()

    # 6. Public, masked and searchable (the sync worker's batch stands in for `flask search sync`).
    search_index.sync()
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{portal_server}/messages?q=青枫路口")
    _accessible(page, axe_violations)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("138****5678")).to_be_visible()
    assert "13812345678" not in page.content()
    _accessible(page, axe_violations)
    page.goto(f"{portal_server}/search?q=青枫路口 人行横道&type=answer")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_url(f"{portal_server}/messages/{message.id}")
    context.close()


def test_writing_page_is_accessible(app, browser_sign_in, portal_server, axe_violations):
    context, page = browser_sign_in("enterprise", "/messages/new", bypass_csp=True)
    _accessible(page, axe_violations)
    page.get_by_role("button", name="提交留言").click()  # errors shown, still accessible
    expect(page.get_by_text("请填写标题。")).to_be_visible()
    _accessible(page, axe_violations)
    page.goto(f"{portal_server}/me/messages")
    _accessible(page, axe_violations)
    context.close()
