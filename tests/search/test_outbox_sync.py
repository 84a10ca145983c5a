"""The outbox worker: publish → indexed, withdraw → gone, versions never go backwards, and
changes committed while Elasticsearch is unreachable (an app pointed at a closed port) wait in
the outbox and are indexed once it is reachable (the app on the shared server)."""

import pytest
from sqlalchemy import select

from portal import create_app, outbox
from portal.extensions import db, search_client
from portal.models import SearchOutbox, utcnow
from portal.site_search import index as search_index
from portal.site_search.service import find, make_params
from search.documents import document_id
from search.indexes import alias_name
from search.indexing import Change, apply_changes

pytestmark = pytest.mark.integration


def publish(matter, version=None):
    matter.status = "published"
    matter.published_at = utcnow()
    if version:
        matter.lock_version = version
    outbox.enqueue("matter", matter.id, "upsert", matter.lock_version)
    db.session.commit()


def indexed_version(es, prefix, matter):
    es.indices.refresh(index=alias_name(prefix, "matter"))
    found = es.options(ignore_status=404).get(index=alias_name(prefix, "matter"), id=document_id("matter", matter.id))
    return found["_version"] if found.get("found") else None


def pending():
    return db.session.scalars(select(SearchOutbox).where(SearchOutbox.processed_at.is_(None))).all()


def test_publish_and_withdraw_reach_the_index(app, elasticsearch, make_department, make_matter):
    prefix = search_client.index_prefix
    # ids of their own: the index outlives the tables, which restart their ids after each test
    matter = make_matter(make_department(), id=900_001, name="城镇职工基本养老保险关系转移接续")
    publish(matter)
    assert search_index.sync().indexed == 1
    assert indexed_version(elasticsearch, prefix, matter) == matter.lock_version
    assert not pending()

    matter.status = "withdrawn"
    matter.lock_version += 1
    outbox.enqueue("matter", matter.id, "delete", matter.lock_version)
    db.session.commit()
    search_index.sync()
    assert indexed_version(elasticsearch, prefix, matter) is None


def test_an_older_change_never_overwrites_a_newer_one(app, elasticsearch, make_department, make_matter):
    prefix = search_client.index_prefix
    matter = make_matter(make_department(), id=900_002, name="建设工程消防验收")
    publish(matter, version=7)
    search_index.sync()
    record = search_index.matter_record(matter)
    stale = dict(record, title="旧的名称")
    assert apply_changes(elasticsearch, prefix, [Change("matter", matter.id, 3, stale)]) == {}  # conflict = done
    elasticsearch.indices.refresh(index=alias_name(prefix, "matter"))
    source = elasticsearch.get(index=alias_name(prefix, "matter"), id=document_id("matter", matter.id))
    assert source["_source"]["title"] == "建设工程消防验收" and source["_version"] == 7


@pytest.fixture
def app_without_elasticsearch(app):
    """A second app on the same database whose Elasticsearch is unreachable (a closed port)."""
    down = create_app({
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TESTING": True,
        "SEARCH_INDEX_PREFIX": app.config["SEARCH_INDEX_PREFIX"], "WTF_CSRF_ENABLED": False,
        "ELASTICSEARCH_URL": "http://127.0.0.1:9", "SEARCH_TIMEOUT_SECONDS": 1,
    })
    yield down
    with down.app_context():
        db.engine.dispose()


def test_changes_wait_while_elasticsearch_is_down_and_nothing_is_lost(
        app, elasticsearch, app_without_elasticsearch, make_department, make_matter):
    with app_without_elasticsearch.app_context():
        department = make_department()
        matters = [make_matter(department, name=f"停机期间发布的事项{n}") for n in range(3)]
        for matter in matters:
            publish(matter)  # editors can still publish: the change is committed with its outbox row
        report = search_index.sync()
        assert report.indexed == 0 and report.failed == 3
        rows = pending()
        assert len(rows) == 3 and all(row.attempts == 1 and row.last_error for row in rows)
        assert all(row.next_attempt_at > utcnow() for row in rows)  # backoff
        assert search_index.sync().failed == 0  # not retried before the backoff has passed

        results = find(make_params("停机期间发布"), log=False)
        assert results.degraded and results.total == 3  # the database answers meanwhile
        db.session.remove()

    # Elasticsearch is back (the app on the shared server), and the backoff has passed.
    db.session.query(SearchOutbox).update({"next_attempt_at": utcnow()})
    db.session.commit()
    assert search_index.sync().indexed == 3
    assert not pending()
    elasticsearch.indices.refresh(index=alias_name(search_client.index_prefix, "matter"))
    results = find(make_params("停机期间发布"), log=False)
    assert not results.degraded and results.total == 3


def test_api_answers_degraded_from_the_database_when_elasticsearch_is_unreachable(
        app_without_elasticsearch, make_department, make_matter):
    down = app_without_elasticsearch
    with down.app_context():
        matter = make_matter(make_department(), name="残疾人证新办", status="published")
        body = down.test_client().get("/api/v1/search", query_string={"q": "残疾人证"}).get_json()
        assert body["degraded"] is True
        assert body["total"] == 1 and body["results"][0]["title"] == matter.name
        page = down.test_client().get("/search", query_string={"q": "残疾人证"})
        assert page.status_code == 200 and "搜索服务暂时繁忙" in page.get_data(as_text=True)
        db.session.remove()


def test_the_database_fallback_searches_the_same_kinds_as_the_search_it_stands_in_for(
        app_without_elasticsearch, make_department, make_matter, make_answer):
    from portal.hotline.lookup import console_search
    from portal.models import Article

    down = app_without_elasticsearch
    with down.app_context():
        department = make_department()
        make_matter(department, name="残疾人证新办", status="published")
        make_answer(department, question="残疾人证怎么办理")
        db.session.add(Article(department=department, column="通知公告", title="残疾人证办理时间调整", slug="notice",
                               body_html="<p>通知</p>", status="published", published_at=utcnow()))
        db.session.commit()
        everything = find(make_params("残疾人证"), log=False)
        assert everything.degraded and everything.counts == {"matter": 1, "answer": 1, "article": 1}
        results, hits = console_search("残疾人证")
        assert results.degraded
        assert sorted(hit.type for hit in hits) == ["answer", "matter"]  # the console searches no articles
        assert results.counts["article"] == 0
        db.session.remove()


def test_the_sync_worker_waits_out_a_database_outage(app):
    """PostgreSQL stopped under `flask search sync --follow`: the worker keeps trying instead of dying, and a
    one-shot sync reports the error instead of a traceback (bench/faults.py stops PostgreSQL under load)."""
    down = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://portal:portal@127.0.0.1:9/portal",
                       "SEARCH_INDEX_PREFIX": app.config["SEARCH_INDEX_PREFIX"]})
    rounds, reports = [], []
    with down.app_context():
        total = search_index.sync(follow=True, should_stop=lambda: len(rounds) >= 2,
                                  each_round=lambda: rounds.append(1), on_batch=reports.append)
        assert total.indexed == 0 and len(rounds) == 2
        assert reports and all(report.error == "OperationalError" for report in reports)
        assert search_index.sync().error is None  # one shot: returns (its report went to on_batch)
        db.engine.dispose()


def test_the_database_fallback_takes_wildcards_literally(app_without_elasticsearch, make_department, make_matter):
    with app_without_elasticsearch.app_context():
        department = make_department()
        make_matter(department, name="残疾人证新办", status="published")
        make_matter(department, name="补贴发放100%到账查询", status="published")
        db.session.commit()
        assert find(make_params("%"), log=False).counts["matter"] == 1
        assert find(make_params("_"), log=False).counts["matter"] == 0
