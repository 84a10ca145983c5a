"""The operator console in a real headless Chromium against the real Elasticsearch, keyboard only:
type the caller's words, pick an answer with the arrow keys and Enter, copy it."""

import pytest

from portal.extensions import db, search_client
from portal.models import HandOff
from portal.site_search.index import published_records
from search.indexing import reindex

pytestmark = pytest.mark.browser


@pytest.fixture
def operator_id(kb, make_answer, elasticsearch):
    """The knowledge base indexed in the real Elasticsearch, with one stale answer; the operator's id."""
    make_answer(kb.department, "失业金领取期满后还能领吗", "<p>期满后不能继续领取。</p>", matters=[kb.matter],
                        needs_review=True, review_reason={"matters": [{
                            "matter_id": kb.matter.id, "code": kb.matter.code, "name": kb.matter.name, "at": "",
                            "changes": [{"field": "promised_time_limit_days", "before": ["5"], "after": ["3"]}]}]})
    make_answer(kb.other, "小区停车收费标准怎么定", "<p>由业主大会决定。</p>")
    user_id = kb.operator.id
    # A loaded test machine can take longer than the portal's 2 s search timeout to build an index.
    es = search_client.es.options(request_timeout=60)
    for kind in ("answer", "matter"):
        reindex(es, search_client.index_prefix, kind, list(published_records(kind)))
    return user_id


def _signed_in_context(app, browser, live_server, user_id, javascript=True, **options):
    """A browser signed in as the user (the Flask-Login part of a real sign-in, as the `login` fixture does)."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(locale="zh-CN", permissions=["clipboard-read", "clipboard-write"],
                                  java_script_enabled=javascript, **options)
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": str(user_id), "_fresh": True})
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": live_server}])
    return context


def _arrow_down_to(page, title, limit=10):
    for _press in range(limit):
        page.keyboard.press("ArrowDown")
        if title in page.evaluate("document.activeElement.textContent"):
            return
    raise AssertionError(f"{title} not among the results")


def test_operator_finds_opens_and_copies_an_answer_with_the_keyboard(app, browser, live_server, operator_id, tmp_path):
    context = _signed_in_context(app, browser, live_server, operator_id)
    page = context.new_page()
    page.goto(live_server + "/hotline/")
    assert page.evaluate("document.activeElement.id") == "console-q"

    # Words found by Elasticsearch and by the database fallback alike (a loaded machine may time out).
    page.keyboard.type("怎么领失业金")
    page.wait_for_selector("#console-results a.result")
    first = page.inner_text("#console-results li:first-child")
    assert "失业" in first, first
    _arrow_down_to(page, "失业了怎么领失业金")
    page.keyboard.press("Enter")
    page.wait_for_selector(".copy-button:focus")
    panel = page.inner_text("#console-panel")
    for fact in ("携带身份证到社保窗口", "5 个工作日", "市民之家二楼 12 号窗口", "0731-12345678", "身份证", "在线办理",
                 "内部提示"):
        assert fact in panel
    assert "待复核" not in panel

    page.keyboard.press("Enter")
    page.wait_for_selector(".copy-status:has-text('已复制')")
    assert page.evaluate("navigator.clipboard.readText()") == "携带身份证到社保窗口办理失业登记后申领。"

    # Escape goes back to the caller's words; a stale answer carries its warning.
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "console-q"
    page.keyboard.type("期满")
    page.wait_for_selector("#console-results a.result:has-text('期满')")
    _arrow_down_to(page, "失业金领取期满后还能领吗")
    page.keyboard.press("Enter")
    page.wait_for_selector(".stale-warning")
    assert "承诺办结时限" in page.inner_text(".stale-warning")
    page.screenshot(path=tmp_path / "hotline-console.png", full_page=True)

    # Recently used lists what was opened.
    page.goto(live_server + "/hotline/")
    assert "失业了怎么领失业金" in page.inner_text("#recent-heading + ul")
    context.close()


def test_console_works_without_javascript(app, browser, live_server, operator_id):
    context = _signed_in_context(app, browser, live_server, operator_id, javascript=False)
    page = context.new_page()
    page.goto(live_server + "/hotline/")
    page.fill("#console-q", "怎么领失业金")
    page.click("button:has-text('查找')")
    page.click("#console-results a:has-text('失业了怎么领失业金')")
    assert "携带身份证到社保窗口" in page.inner_text("#console-panel")
    context.close()


def test_hotline_and_knowledge_pages_are_accessible_and_fit_a_phone(app, browser, live_server, kb, login,
                                                                    axe_violations):
    login(kb.operator).post("/hotline/calls", data={
        "category": "其他", "summary": "需要部门回电", "caller_phone": "13812341234", "outcome": "handed_off",
        "department_id": str(kb.department.id), "answer_id": str(kb.answer.id)})
    handoff_id = db.session.scalar(db.select(HandOff.id))
    pages = {
        kb.operator.id: [f"/hotline/?answer={kb.answer.id}", "/hotline/calls", f"/hotline/handoffs/{handoff_id}"],
        kb.editor.id: ["/hotline/queue", "/knowledge/", f"/knowledge/{kb.answer.id}/edit", "/knowledge/stale",
                       "/answers", f"/answers/{kb.answer.id}"],
    }
    for user_id, paths in pages.items():
        context = _signed_in_context(app, browser, live_server, user_id, bypass_csp=True)
        page = context.new_page()
        for path in paths:
            page.goto(live_server + path)
            assert axe_violations(page) == [], path
        page.set_viewport_size({"width": 375, "height": 740})
        for path in paths:
            page.goto(live_server + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        context.close()
