"""Shared anonymous public pages (portal/page_cache.py): served from memory, revalidated with 304s, compressed, never
shared with or from a signed-in visitor, and dropped the moment content changes."""

import gzip

import pytest
from sqlalchemy import event

from portal import content_generation, page_cache, popularity
from portal.extensions import db
from portal.models import LinkThrough, Matter, PageView

pytestmark = pytest.mark.integration


@pytest.fixture
def shared(app):
    """The app as configured outside tests: shared pages on, usage counts written off the request
    path (TestConfig has both off); shared pages emptied before and after."""
    app.config.update(PUBLIC_PAGE_CACHE_SECONDS=3600, POPULARITY_FLUSH_SECONDS=3600)
    page_cache.clear(app)
    yield app
    popularity.flush()
    app.config.update(PUBLIC_PAGE_CACHE_SECONDS=0, POPULARITY_FLUSH_SECONDS=0)
    page_cache.clear(app)


@pytest.fixture
def statements(app):
    """The SQL statements run, as a list the test can clear and count."""
    seen = []

    def count(_connection, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", count)


def test_a_second_anonymous_visitor_gets_the_page_from_memory(shared, catalogue, client, statements):
    first = client.get("/matters/M-BIRTH")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "public, no-cache"
    assert "Cookie" in first.headers["Vary"] and first.headers["ETag"] and first.headers["Last-Modified"]
    assert "Set-Cookie" not in first.headers
    statements.clear()
    second = shared.test_client().get("/matters/M-BIRTH")
    assert second.get_data() == first.get_data() and second.headers["ETag"] == first.headers["ETag"]
    assert not [statement for statement in statements if "content_generation" not in statement]
    # The security headers of the original response are replayed; the request id is new.
    assert second.headers["X-Frame-Options"] == "DENY"
    assert second.headers["X-Request-ID"] != first.headers["X-Request-ID"]


def test_revalidation_answers_304(shared, catalogue, client):
    etag = client.get("/").headers["ETag"]
    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data() and again.headers["ETag"] == etag
    assert client.get("/", headers={"If-None-Match": '"other"'}).status_code == 200


def test_pages_are_sent_gzip_compressed_when_accepted(shared, catalogue, client):
    plain = client.get("/matters/M-BIRTH").get_data()
    packed = client.get("/matters/M-BIRTH", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain and len(packed.get_data()) < len(plain) / 2


def test_a_publish_withdraw_or_correction_shows_on_the_next_request(shared, catalogue, client):
    assert "出生医学证明办理" in client.get("/matters/M-BIRTH").get_data(as_text=True)
    catalogue["birth"].name = "出生医学证明办理（更正）"
    db.session.commit()
    assert "（更正）" in client.get("/matters/M-BIRTH").get_data(as_text=True)
    catalogue["birth"].status = "withdrawn"
    db.session.commit()
    assert client.get("/matters/M-BIRTH").status_code == 404
    withdrawn = db.session.get(Matter, catalogue["withdrawn"].id)
    assert client.get("/matters/M-OLD").status_code == 404
    withdrawn.status = "published"
    db.session.commit()
    assert client.get("/matters/M-OLD").status_code == 200


def test_usage_counts_do_not_move_the_content_generation(app, catalogue):
    before = content_generation.reader(app)._read()[0]
    db.session.add(LinkThrough(matter_id=catalogue["birth"].id))
    db.session.add(PageView(matter_id=catalogue["birth"].id, day=db.func.current_date(), views=1))
    db.session.commit()
    assert content_generation.reader(app)._read()[0] == before
    catalogue["platform"].is_down = True  # a platform going down changes the guide page
    db.session.commit()
    assert content_generation.reader(app)._read()[0] == before + 1


def test_signed_in_visitors_neither_get_nor_leave_shared_pages(shared, catalogue, client, make_user, login):
    anonymous = client.get("/matters/M-BIRTH").get_data(as_text=True)
    citizen = make_user("citizen", username="王小明")
    signed_in = login(citizen).get("/matters/M-BIRTH")
    html = signed_in.get_data(as_text=True)
    assert "王小明" in html and html != anonymous and "public" not in signed_in.headers.get("Cache-Control", "")
    other = shared.test_client().get("/matters/M-BIRTH").get_data(as_text=True)
    assert "王小明" not in other and "csrf_token" not in other


def test_views_served_from_memory_are_counted_off_the_request_path(shared, catalogue, client):
    for _ in range(3):
        assert client.get("/matters/M-BIRTH").status_code == 200
    assert client.get("/go/M-BIRTH").status_code == 302
    assert db.session.query(PageView).count() == 0 and db.session.query(LinkThrough).count() == 0
    popularity.flush()
    assert db.session.query(PageView).one().views == 3 and db.session.query(LinkThrough).count() == 1


def test_display_cookies_are_part_of_the_key(shared, catalogue):
    chinese = shared.test_client().get("/").get_data(as_text=True)
    english_client = shared.test_client()
    english_client.set_cookie("portal_locale", "en")
    english = english_client.get("/").get_data(as_text=True)
    assert english != chinese and 'lang="en"' in english
    assert shared.test_client().get("/").get_data(as_text=True) == chinese


def test_other_text_responses_are_compressed_too(app, catalogue, client):
    response = client.get("/api/v1/matters?size=50", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    if len(gzip.decompress(response.get_data())) >= page_cache.GZIP_MINIMUM:
        assert response.headers["Content-Encoding"] == "gzip"


def test_a_transaction_ended_without_commit_does_not_stop_the_next_change_counting(app, catalogue):
    catalogue["birth"].name = "未提交的更改"
    db.session.flush()
    db.session.close()  # ends the transaction without a commit (and without after_rollback)
    before = content_generation.reader(app)._read()[0]
    db.session.get(Matter, catalogue["birth"].id).name = "已提交的更改"
    db.session.commit()
    assert content_generation.reader(app)._read()[0] == before + 1


def test_the_home_page_is_kept_for_minutes_and_content_pages_for_an_hour(shared, catalogue, client, statements):
    client.get("/")
    client.get("/matters/M-BIRTH")
    for page in shared.extensions["shared_pages"].pages.values():
        page.stored_at -= 301  # five minutes on: 热门事项 may have changed without an edit
    statements.clear()
    client.get("/matters/M-BIRTH")
    assert not [statement for statement in statements if "content_generation" not in statement]
    client.get("/")
    assert [statement for statement in statements if "content_generation" not in statement]
