"""Shared /search pages (kept in front of Flask by portal/page_cache.py) through the real app:
only visitors who are not signed in (and have nothing in their session) ever share a page."""

import pytest
from elasticsearch import ConnectionError as ElasticsearchConnectionError
from sqlalchemy import func, select

from portal import outbox
from portal import page_cache as shared_pages
from portal.extensions import db
from portal.models import QueryLog, utcnow
from portal.site_search import service as search_service
from portal.site_search.index import sync as sync_outbox
from portal.site_search.pages import views
from portal.site_search.service import flush_query_log, search_settings_changed

# --- through the app ------------------------------------------------------------------------------


@pytest.fixture
def page_cache_on(app, monkeypatch):
    """Pages shared for a minute (TestConfig switches the cache off), and a count of the searches
    the page really runs."""
    monkeypatch.setitem(app.config, "SEARCH_PAGE_CACHE_SECONDS", 60)
    monkeypatch.setitem(app.config, "PUBLIC_PAGE_CACHE_SECONDS", 60)  # in front of Flask (portal/page_cache.py)
    shared_pages.clear(app)
    searches = []

    def counted_find(params, *args, **kwargs):
        searches.append(params.q)
        return real_find(params, *args, **kwargs)

    real_find = views.find
    monkeypatch.setattr(views, "find", counted_find)
    yield searches
    shared_pages.clear(app)


def logged_searches():
    flush_query_log()
    db.session.rollback()
    return db.session.scalar(select(func.count(QueryLog.id)).where(QueryLog.query == "失业登记"))


@pytest.mark.integration
def test_visitors_not_signed_in_share_a_page_and_each_search_is_still_logged(search_index, app, page_cache_on):
    first = app.test_client().get("/search", query_string={"q": "失业登记"})
    again = app.test_client().get("/search", query_string={"q": "失业登记"})
    assert first.data == again.data and "失业登记" in again.get_data(as_text=True)
    assert page_cache_on == ["失业登记"]  # the second page came from the cache
    assert logged_searches() == 2
    assert "Cookie" in again.headers.get("Vary", "")
    app.test_client().get("/search", query_string={"q": "失业登记", "type": "matter"})
    app.test_client().get("/search", query_string={"q": "失业登记", "lang": "en"})
    english = app.test_client()
    english.set_cookie("portal_locale", "en")
    english.get("/search", query_string={"q": "失业登记"})
    assert len(page_cache_on) == 4  # another tab, another language: another page
    assert logged_searches() == 5


@pytest.mark.integration
def test_a_signed_in_user_never_gets_a_shared_page_nor_leaves_one(search_index, app, page_cache_on, make_user, login):
    anonymous_before = app.test_client().get("/search", query_string={"q": "失业登记"}).get_data(as_text=True)
    user = make_user(username="张三丰")
    signed_in = login(user, into=app.test_client())
    for _ in range(2):
        page = signed_in.get("/search", query_string={"q": "失业登记"}).get_data(as_text=True)
        assert "张三丰" in page and 'name="csrf_token"' in page and page != anonymous_before
    anonymous_after = app.test_client().get("/search", query_string={"q": "失业登记"}).get_data(as_text=True)
    assert "张三丰" not in anonymous_after and "csrf_token" not in anonymous_after
    assert page_cache_on == ["失业登记"] * 3  # both of the user's pages were searched and rendered for them
    assert logged_searches() == 4


@pytest.mark.integration
def test_the_cache_goes_the_other_way_too(search_index, app, page_cache_on, make_user, login):
    signed_in = login(make_user(username="李四"), into=app.test_client())
    assert "李四" in signed_in.get("/search", query_string={"q": "失业登记"}).get_data(as_text=True)
    anonymous = app.test_client().get("/search", query_string={"q": "失业登记"}).get_data(as_text=True)
    assert "李四" not in anonymous and "登录" in anonymous
    assert len(page_cache_on) == 2


@pytest.mark.integration
def test_a_visitor_with_something_in_the_session_is_not_shared(search_index, app, page_cache_on):
    flashed = app.test_client()
    with flashed.session_transaction() as session:
        session["_flashes"] = [("success", "只给这一位访客看的消息")]
    assert "只给这一位访客看的消息" in flashed.get("/search", query_string={"q": "失业登记"}).get_data(as_text=True)
    assert "只给这一位访客看的消息" not in app.test_client().get(
        "/search", query_string={"q": "失业登记"}).get_data(as_text=True)
    assert len(page_cache_on) == 2


@pytest.mark.integration
def test_degraded_pages_are_never_shared(search_index, app, page_cache_on, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ElasticsearchConnectionError("down")

    with monkeypatch.context() as patch:
        patch.setattr("portal.site_search.service._cached_search", unreachable)
        degraded = app.test_client().get("/search", query_string={"q": "失业登记"}).get_data(as_text=True)
    assert "简化结果" in degraded
    recovered = app.test_client().get("/search", query_string={"q": "失业登记"}).get_data(as_text=True)
    assert "简化结果" not in recovered and len(page_cache_on) == 2


@pytest.mark.integration
def test_a_shared_page_is_rendered_from_a_fresh_search(search_index, app, page_cache_on, make_user, login,
                                                        monkeypatch):
    """Not from the result cache: a shared page is never older than its own lifetime."""
    monkeypatch.setitem(app.config, "SEARCH_RESULT_CACHE_SECONDS", 60)
    app.extensions.pop("search_store", None)
    asked = []
    real_search = search_service.queries.search
    monkeypatch.setattr(search_service.queries, "search", lambda *args: asked.append(1) or real_search(*args))
    signed_in = login(make_user(), into=app.test_client())
    signed_in.get("/search", query_string={"q": "失业登记"})
    assert len(asked) == 1
    app.test_client().get("/search", query_string={"q": "失业登记"})
    assert len(asked) == 2  # the result cache held this search, but a page to share asks afresh
    app.test_client().get("/search", query_string={"q": "失业登记"})
    signed_in.get("/search", query_string={"q": "失业登记"})
    assert len(asked) == 2  # the shared page, and the fresh results kept for the signed-in user


@pytest.mark.integration
def test_a_shared_page_is_replaced_as_soon_as_a_published_change_is_searchable(
        app, elasticsearch, page_cache_on, make_department, make_matter):
    def page():
        return app.test_client().get("/search", query_string={"q": "海域使用权登记"}).get_data(as_text=True)

    sync_outbox()  # whatever earlier tests left in the outbox
    matter = make_matter(make_department(), id=900_101, name="海域使用权转让登记")
    link = f"/matters/{matter.code}"
    assert link not in page()
    matter.status, matter.published_at = "published", utcnow()
    outbox.enqueue("matter", matter.id, "upsert", matter.lock_version)
    db.session.commit()
    assert link not in page()  # published, not yet searchable: the shared page stands
    assert page_cache_on == ["海域使用权登记"]
    assert sync_outbox().indexed == 1  # searchable now, and the search generation moved
    assert link in page()


@pytest.mark.integration
def test_an_edit_of_synonyms_replaces_shared_pages(search_index, app, page_cache_on):
    app.test_client().get("/search", query_string={"q": "失业登记"})
    app.test_client().get("/search", query_string={"q": "失业登记"})
    assert page_cache_on == ["失业登记"]
    search_settings_changed()
    app.test_client().get("/search", query_string={"q": "失业登记"})
    assert page_cache_on == ["失业登记", "失业登记"]


@pytest.mark.integration
def test_a_content_change_that_searches_do_not_see_keeps_shared_search_pages(
        search_index, app, page_cache_on, make_department):
    """Search pages follow the search generation, not the content generation."""
    app.test_client().get("/search", query_string={"q": "失业登记"})
    make_department(name="一个新部门")  # moves the content generation, not the search generation
    db.session.commit()
    app.test_client().get("/search", query_string={"q": "失业登记"})
    assert page_cache_on == ["失业登记"]


@pytest.mark.integration
def test_suggestions_are_shared_in_front_of_flask_and_htmx_fragments_only_with_htmx(
        search_index, app, page_cache_on, monkeypatch):
    asked = []
    real = search_service._suggestions  # what the fragment and the page both ask, with the words as searched
    monkeypatch.setattr(search_service, "_suggestions", lambda q, *args: asked.append(q) or real(q, *args))
    htmx = {"HX-Request": "true"}
    fragment = app.test_client().get("/search/suggest", query_string={"q": "失业"}, headers=htmx)
    again = app.test_client().get("/search/suggest", query_string={"q": "失业"}, headers=htmx)
    assert again.data == fragment.data and "<html" not in again.get_data(as_text=True)
    assert "HX-Request" in again.headers["Vary"]
    page = app.test_client().get("/search/suggest", query_string={"q": "失业"})
    assert "<html" in page.get_data(as_text=True)  # the page without JavaScript, not the fragment
    assert asked == ["失业", "失业"]  # the fragment once, then the page


def test_a_shared_search_page_served_again_outside_any_context(app, database_url):
    """Under gunicorn no application context exists in front of Flask: counting a shared /search page's hit
    there raised 'Working outside of application context' (a 500 on every hit; bench/soak.py found 53)."""
    import threading

    from portal import create_app

    portal = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                         "SEARCH_INDEX_PREFIX": app.config["SEARCH_INDEX_PREFIX"],
                         "PUBLIC_PAGE_CACHE_SECONDS": 60, "SEARCH_PAGE_CACHE_SECONDS": 60})
    statuses = []

    def visit():  # a thread of its own starts with no context, as a gunicorn worker thread does
        client = portal.test_client()
        statuses.extend(client.get("/search?q=营业执照").status_code for _ in range(2))

    visitor = threading.Thread(target=visit)
    visitor.start()
    visitor.join()
    assert statuses == [200, 200]
