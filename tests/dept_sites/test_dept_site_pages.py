"""Department sites: the profile (with what is missing said plainly), published matters and
articles by 政务公开 column, articles through the editorial workflow, rich text cleaned by nh3."""

import pytest

from portal import workflow
from portal.extensions import db
from portal.models import Article, AuditLog
from portal.sanitize import clean_html

pytestmark = pytest.mark.integration

HOSTILE = ('<p onclick="steal()">正文<script>alert(1)</script><a href="javascript:alert(2)">链接</a></p>'
           "<img src=x onerror=1>")


@pytest.mark.unit
def test_clean_html_keeps_the_allow_list_only():
    cleaned = clean_html(HOSTILE + '<h2>标题</h2><a href="https://example.gov.cn">官网</a>')
    assert "script" not in cleaned and "onclick" not in cleaned and "javascript:" not in cleaned
    assert "<img" not in cleaned and "<h2>标题</h2>" in cleaned and 'href="https://example.gov.cn"' in cleaned


@pytest.fixture
def site(make_department, make_matter, make_user):
    department = make_department("市测试局")
    make_matter(department, name="已发布的事项", status="published")
    make_matter(department, name="草稿事项")
    return department, make_user("editor", department=department), make_user("reviewer", department=department)


def test_home_says_what_is_missing(client, site):
    department, _, _ = site
    page = client.get(f"/dept/{department.slug}/")
    assert page.status_code == 200
    for text in ("暂无部门简介", "暂无领导信息", "暂无联系方式", "已发布的事项", "通知公告", "政策解读"):
        assert text in page.text
    assert "草稿事项" not in page.text
    assert client.get("/dept/no-such-department/").status_code == 404
    assert department.name in client.get("/dept/").text


def test_article_goes_through_review_and_is_cleaned(client, login, site):
    department, editor, reviewer = site
    login(editor)
    created = client.post("/editor/articles/new", data={"column": "通知公告", "title": "关于测试的通知",
                                                        "summary": "摘要", "body_html": HOSTILE})
    assert created.status_code == 302
    article = db.session.scalar(db.select(Article))
    assert "script" not in article.body_html and "onclick" not in article.body_html
    edit_page = client.get(f"/editor/articles/{article.id}/edit")
    assert "已保存正文的预览" in edit_page.text and "<p>正文" in edit_page.text
    url = f"/dept/{department.slug}/articles/{article.slug}"
    assert client.get(url).status_code == 404  # a draft is not public
    workflow.transition(article, "submit", editor)
    workflow.transition(article, "approve", reviewer)
    # Even a row written around the form is cleaned again on display.
    db.session.execute(db.update(Article).values(body_html=HOSTILE))
    db.session.commit()
    page = client.get(url)
    assert page.status_code == 200 and "关于测试的通知" in page.text and "正文" in page.text
    assert "<script>alert(1)" not in page.text and "onerror" not in page.text
    home = client.get(f"/dept/{department.slug}/")
    assert "关于测试的通知" in home.text
    column = client.get(f"/dept/{department.slug}/columns/通知公告")
    assert column.status_code == 200 and "关于测试的通知" in column.text
    assert client.get(f"/dept/{department.slug}/columns/不存在的栏目").status_code == 404


def test_profile_editing_is_audited_and_shown(client, login, site, make_department, make_user):
    department, editor, _ = site
    login(editor)
    form = {"introduction": "<p>负责测试工作。</p><script>x</script>", "address": "市政府大楼",
            "phone": "0000-12345678", "office_hours": "", "website": ""}
    added = client.post("/editor/site-profile", data={**form, "list_action": "leaders:add"})
    assert added.status_code == 200 and 'name="leaders-0-name"' in added.text
    missing = client.post("/editor/site-profile", data={**form, "leaders-0-name": "", "leaders-0-title": "局长"})
    assert missing.status_code == 400 and "请填写姓名。" in missing.text
    saved = client.post("/editor/site-profile", data={**form, "leaders-0-name": "张三", "leaders-0-title": "局长"})
    assert saved.status_code == 302
    entry = db.session.scalar(db.select(AuditLog).where(AuditLog.entity_type == "department"))
    assert entry.before["leaders"] == [] and entry.after["leaders"][0]["name"] == "张三"
    page = client.get(f"/dept/{department.slug}/")
    assert "张三" in page.text and "负责测试工作" in page.text and "暂无领导信息" not in page.text
    assert "<script>x" not in page.text

    other = make_department("乙局")
    login(make_user("editor", department=other))
    client.post(f"/editor/site-profile?department={department.id}", data={**form, "address": "越权地址"})
    db.session.refresh(department)
    assert department.address == "市政府大楼"  # an editor only ever edits their own department


def test_matters_are_paged(client, make_department, make_matter):
    department = make_department("事项很多的局")
    for number in range(25):
        make_matter(department, name=f"事项{number:02d}", status="published")
    first = client.get(f"/dept/{department.slug}/matters")
    assert "第 1 / 2 页" in first.text and "事项00" in first.text and "事项24" not in first.text
    second = client.get(f"/dept/{department.slug}/matters?page=2")
    assert "事项24" in second.text and "上一页" in second.text
