"""Imported hotline replies are operators' internal knowledge and editors' material; the public
FAQ shows curated items only, dated by the real reply."""

from datetime import datetime

import pytest

from portal.extensions import db
from portal.hotline.lookup import console_params
from portal.models import Answer
from portal.site_search.index import reindex_kind
from portal.site_search.service import find, make_params

pytestmark = pytest.mark.integration


@pytest.fixture
def hotline(kb, make_department, make_answer):
    """An imported raw record (internal) and a curated FAQ item."""
    centre = make_department("12345政务服务便民热线", code="HOTLINE-12345")
    raw = make_answer(centre, "强烈反对失业金发放拖延", f"<p>{kb.department.name}答复：失业金已按时发放。</p>",
                      public=False, replied_at=datetime(2019, 5, 10, 6, 56))
    curated = make_answer(kb.department, "失业金多久到账", "<p>审核通过后次月发放。</p>",
                          replied_at=datetime(2019, 4, 2, 2, 0))
    return raw, curated


def test_public_faq_lists_curated_items_dated_by_their_reply(hotline, client):
    raw, curated = hotline
    page = client.get("/answers").text
    assert "失业金多久到账" in page and "强烈反对" not in page
    assert "2019" in page  # the reply's date, not the day of the import
    assert client.get(f"/answers/{raw.id}").status_code == 404
    shown = client.get(f"/answers/{curated.id}").text
    assert "答复于 2019年4月2日" in shown


def test_public_searches_leave_internal_knowledge_to_the_console(app, elasticsearch, hotline):
    raw, curated = hotline
    reindex_kind("answer")
    public = find(make_params("失业金", kind="answer"), log=False, fresh=True)
    titles = [hit.title for hit in public.hits]
    assert "失业金多久到账" in titles and "强烈反对失业金发放拖延" not in titles
    console = find(console_params("失业金"), log=False, fresh=True)
    assert {hit.title for hit in console.hits} >= {"失业金多久到账", "强烈反对失业金发放拖延"}


def test_department_editors_see_records_about_them_and_start_a_draft(hotline, kb, login):
    raw, _curated = hotline
    client = login(kb.editor)
    listing = client.get("/knowledge/").text
    assert "强烈反对失业金发放拖延" in listing and f"/knowledge/new?from={raw.id}" in listing
    form = client.get(f"/knowledge/new?from={raw.id}").text
    assert 'value="强烈反对失业金发放拖延"' in form and "失业金已按时发放" in form


def test_suggested_matter_is_linked_with_one_click(app, elasticsearch, kb, login):
    reindex_kind("matter")
    client = login(kb.editor)
    form = {"question": "失业登记怎么办理", "phrasings": "", "public_answer": "<p>到窗口办理。</p>",
            "internal_note": "", "category": "", "valid_until": "", "matters": "", "public": "y"}
    page = client.post("/knowledge/new", data={**form, "add_matter": kb.matter.code}).text
    assert "可能相关的事项" not in page or kb.matter.code not in page.split("可能相关的事项")[1]
    assert f"{kb.matter.code}</textarea>" in page  # in the list, not yet saved
    assert db.session.scalar(db.select(Answer).where(Answer.question == "失业登记怎么办理")) is None
    response = client.post("/knowledge/new", data={**form, "matters": kb.matter.code})
    assert response.status_code == 302
    answer = db.session.scalar(db.select(Answer).where(Answer.question == "失业登记怎么办理"))
    assert [matter.code for matter in answer.matters] == [kb.matter.code]


def test_the_edit_form_suggests_matters_from_the_search(app, elasticsearch, kb, login):
    reindex_kind("matter")
    page = login(kb.editor).post("/knowledge/new", data={
        "question": "失业登记", "public_answer": "<p>x</p>", "add_matter": "NONE"}).text
    assert "可能相关的事项" in page and 'name="add_matter" value="' + kb.matter.code + '"' in page
