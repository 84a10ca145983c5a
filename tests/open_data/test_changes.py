"""The change feed: one row per publish, correction and withdrawal, written with the change itself,
numbered in commit order, read from any cursor; Atom for feed readers."""

from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from portal import workflow
from portal.extensions import db
from portal.models import OpenChange, utcnow
from portal.open_data import changes

pytestmark = pytest.mark.integration


@pytest.fixture
def desk(sample, make_user):
    editor = make_user("editor", department=sample["social"])
    reviewer = make_user("reviewer", department=sample["social"])
    return editor, reviewer


def _publish(matter, editor, reviewer):
    workflow.transition(matter, "submit", editor)
    workflow.transition(matter, "approve", reviewer)


def _correct(entity, data, editor, reviewer):
    """A correction of published content: a new edition, submitted and approved."""
    workflow.save(entity, data, editor, expected_version=entity.lock_version)
    workflow.transition(entity, "submit", editor)
    workflow.transition(entity, "approve", reviewer)
    return entity.lock_version


def _feed(client, since=0, **params):
    response = client.get("/open/changes", query_string={"since": since, **params})
    assert response.status_code == 200
    return response.get_json()


def test_publish_correct_withdraw_each_appear_once_in_order(client, sample, desk):
    editor, reviewer = desk
    draft = sample["draft"]
    workflow.save(draft, {"name": "草稿事项（修改）"}, editor, expected_version=1)  # a draft save: not public
    assert _feed(client)["changes"] == []
    _publish(draft, editor, reviewer)
    published = draft.lock_version
    workflow.save(draft, {"conditions": "更正后的条件"}, editor, expected_version=draft.lock_version)
    assert len(_feed(client)["changes"]) == 1  # an edition being written is not public yet
    workflow.transition(draft, "submit", editor)
    workflow.transition(draft, "approve", reviewer)
    corrected = draft.lock_version
    workflow.transition(draft, "withdraw", editor)
    feed = _feed(client)
    assert [(c["entity"], c["id"], c["action"], c["version"]) for c in feed["changes"]] == [
        ("matter", "M-OPEN-DRAFT", "upsert", published), ("matter", "M-OPEN-DRAFT", "upsert", corrected),
        ("matter", "M-OPEN-DRAFT", "delete", corrected + 1)]
    assert [c["cursor"] for c in feed["changes"]] == [1, 2, 3]
    assert feed["next"] == 3
    first = feed["changes"][0]
    assert first["time"].endswith("Z")
    assert first["href"] == "http://localhost/open/records/matter/M-OPEN-DRAFT"
    assert feed["changes"][2]["href"] is None
    assert _feed(client, since=3) == {"changes": [], "next": 3, "more": False}


def test_the_feed_resumes_from_any_cursor_in_pages(client, sample, desk):
    editor, reviewer = desk
    matter = sample["draft"]
    _publish(matter, editor, reviewer)
    for number in range(4):
        _correct(matter, {"conditions": f"第 {number} 次更正"}, editor, reviewer)
    page = _feed(client, limit=2)
    assert [c["cursor"] for c in page["changes"]] == [1, 2] and page["more"] is True
    page = _feed(client, since=page["next"], limit=2)
    assert [c["cursor"] for c in page["changes"]] == [3, 4]
    page = _feed(client, since=page["next"], limit=2)
    assert [c["cursor"] for c in page["changes"]] == [5] and page["more"] is False


def test_a_changed_code_deletes_the_old_id(client, sample, desk):
    editor, reviewer = desk
    matter = sample["draft"]
    _publish(matter, editor, reviewer)
    _correct(matter, {"code": "M-OPEN-RENAMED"}, editor, reviewer)
    assert [(c["id"], c["action"]) for c in _feed(client)["changes"]] == [
        ("M-OPEN-DRAFT", "upsert"), ("M-OPEN-DRAFT", "delete"), ("M-OPEN-RENAMED", "upsert")]


def test_changes_are_numbered_in_commit_order_not_insert_order(client, sample):
    """A transaction that inserted its row first but committed last still comes after what was
    already read: a consumer at cursor N never misses it."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs two concurrent writers (PostgreSQL; make test runs it)")
    table = OpenChange.__table__
    row = {"entity": "matter", "action": "upsert", "version": 2, "at": utcnow()}
    slow = db.engine.connect()
    transaction = slow.begin()
    slow.execute(table.insert().values(entity_key=sample["invoice"].id, public_id="M-OPEN-1", **row))
    db.session.add(OpenChange(entity_key=sample["pension"].id, public_id="M-OPEN-2", **row))
    db.session.commit()  # inserted after the slow one (higher id) but committed first
    ids = db.session.execute(select(OpenChange.public_id, OpenChange.id)).all()
    assert dict(ids)["M-OPEN-2"] > min(row_id for _code, row_id in ids) if len(ids) > 1 else True
    feed = _feed(client)
    assert [(c["id"], c["cursor"]) for c in feed["changes"]] == [("M-OPEN-2", 1)]
    transaction.commit()
    slow.close()
    assert [(c["id"], c["cursor"]) for c in _feed(client, since=feed["next"])["changes"]] == [("M-OPEN-1", 2)]


def test_unsequenced_rows_get_cursors_once(app, sample):
    db.session.add_all(OpenChange(entity="matter", entity_key=1, public_id=f"M-{n}", action="upsert", version=1)
                       for n in range(3))
    db.session.commit()
    assert changes.sequence() == 3
    assert changes.sequence() == 0
    assert db.session.scalars(select(OpenChange.cursor).order_by(OpenChange.id)).all() == [1, 2, 3]


def test_answers_are_in_the_feed_and_fetchable(client, sample, make_user):
    editor = make_user("editor", department=sample["tax"])
    reviewer = make_user("reviewer", department=sample["tax"])
    answer = sample["answer"]
    _correct(answer, {"public_answer": "<p>在电子税务局网上申领。</p>"}, editor, reviewer)
    change = _feed(client)["changes"][0]
    assert (change["entity"], change["id"], change["action"]) == ("answer", str(answer.id), "upsert")
    record = client.get(change["href"].removeprefix("http://localhost")).get_json()
    assert record["answer"] == "<p>在电子税务局网上申领。</p>"
    assert record["version"] == change["version"]


def test_an_answer_made_internal_leaves_the_feed_and_internal_ones_never_enter(client, sample, make_user):
    editor = make_user("editor", department=sample["tax"])
    reviewer = make_user("reviewer", department=sample["tax"])
    answer = sample["answer"]
    _correct(answer, {"question": "发票怎么领用？"}, editor, reviewer)
    _correct(answer, {"public": False}, editor, reviewer)
    _correct(answer, {"question": "内部口径"}, editor, reviewer)
    assert [(c["id"], c["action"]) for c in _feed(client)["changes"]] == [
        (str(answer.id), "upsert"), (str(answer.id), "delete")]
    assert client.get("/open/answers.jsonl").data == b""


def test_a_record_no_longer_published_is_a_404(client, sample):
    assert client.get("/open/records/matter/M-OPEN-1").get_json()["code"] == "M-OPEN-1"
    for path in ("/open/records/matter/M-OPEN-DRAFT", "/open/records/answer/x", "/open/records/article/1"):
        response = client.get(path)
        assert response.status_code == 404
        assert "已发布" in response.get_json()["error"]["message"]


def test_bad_cursors_are_refused_with_a_reason(client, app):
    for query in ({"since": "-1"}, {"since": "abc"}, {"limit": "0"}, {"limit": "5000"}):
        response = client.get("/open/changes", query_string=query)
        assert response.status_code == 400
        assert "since" in response.get_json()["error"]["message"]


def test_downloads_carry_the_feed_position(client, sample, desk):
    editor, reviewer = desk
    _publish(sample["draft"], editor, reviewer)
    response = client.get("/open/matters.jsonl")
    assert response.headers["X-Changes-Cursor"] == "1"
    assert response.data


def test_atom_feed_lists_the_latest_changes(client, sample, desk):
    editor, reviewer = desk
    _publish(sample["draft"], editor, reviewer)
    workflow.transition(sample["draft"], "withdraw", editor)
    response = client.get("/open/changes.atom")
    assert response.content_type.startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.data)  # noqa: S314 - our own response
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.find("a:title", ns).text for entry in feed.findall("a:entry", ns)]
    assert titles == ["事项撤回：草稿事项", "事项发布或更新：草稿事项"]
    links = feed.findall("a:entry/a:link[@rel='alternate']", ns)
    assert links[0].get("href") == "http://localhost/matters/M-OPEN-DRAFT"
