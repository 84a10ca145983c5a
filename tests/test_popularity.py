"""Popularity (portal/popularity.py): link-throughs and guide page views, counted off the request path,
decayed for the index; 热门事项 from distinct citizens' link-throughs."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import LinkThrough, PageView, utcnow
from portal.popularity import (
    LINK_THROUGH_WEIGHT,
    POPULAR_WINDOW_DAYS,
    POPULARITY_HALF_LIFE_DAYS,
    count_link_through,
    flush,
    matter_popularity,
    most_linked_through,
    popular_matters,
    visitor_key,
)
from portal.search_index import matter_record

pytestmark = pytest.mark.integration


def test_clicks_and_views_count_and_fade(app, make_department, make_matter):
    fresh, old = make_matter(make_department(), name="新近热门"), make_matter(make_department(), name="过去热门")
    today = utcnow().date()
    half_life_ago = today - timedelta(days=POPULARITY_HALF_LIFE_DAYS)
    db.session.add_all([
        LinkThrough(matter_id=fresh.id, at=utcnow()),
        PageView(matter_id=fresh.id, day=today, views=2),
        PageView(matter_id=old.id, day=half_life_ago, views=2 + LINK_THROUGH_WEIGHT),
    ])
    db.session.commit()
    scores = matter_popularity()
    assert scores[fresh.id] == pytest.approx(LINK_THROUGH_WEIGHT + 2)
    assert scores[old.id] == pytest.approx((LINK_THROUGH_WEIGHT + 2) / 2)  # one half-life ago
    assert matter_record(fresh, scores[fresh.id])["popularity"] == pytest.approx(5)


def test_guide_page_views_are_counted(app, client, make_department, make_matter):
    matter = make_matter(make_department(), name="被浏览的事项", status="published")
    for _ in range(2):
        assert client.get(f"/matters/{matter.code}").status_code == 200
    assert db.session.query(PageView).one().views == 2


def _click(matter, visitor, by_staff=False, days_ago=0):
    db.session.add(LinkThrough(matter_id=matter.id, visitor=visitor, by_staff=by_staff,
                               at=utcnow() - timedelta(days=days_ago)))


def test_popular_matters_need_distinct_citizens_going_on_to_handle_them(app, make_department, make_matter):
    department = make_department()
    many = make_matter(department, name="很多人办", status="published")
    one_keen = make_matter(department, name="一人反复点", status="published")
    by_staff = make_matter(department, name="工作人员测试", status="published")
    withdrawn = make_matter(department, name="已撤回", status="withdrawn")
    old = make_matter(department, name="早已过时", status="published")
    minimum = app.config["POPULAR_MIN_VISITORS"]
    for number in range(minimum):
        _click(many, f"a{number}")
        _click(withdrawn, f"a{number}")
        _click(by_staff, f"u{number}", by_staff=True)
        _click(old, f"a{number}", days_ago=POPULAR_WINDOW_DAYS + 1)
    for _ in range(50):
        _click(one_keen, "a-keen")
    db.session.commit()
    assert most_linked_through(8) == [many]
    assert popular_matters(8)[0] == many
    assert {matter.id for matter in popular_matters(8)}.isdisjoint({withdrawn.id})


def test_guide_views_and_link_throughs_are_written_off_the_request_path(app, client, make_department, make_matter,
                                                                         make_user, login):
    app.config["POPULARITY_FLUSH_SECONDS"] = 3600  # as configured outside tests: written by a thread
    try:
        matter = make_matter(make_department(), name="被浏览的事项", status="published")
        assert client.get(f"/matters/{matter.code}").status_code == 200
        assert db.session.query(PageView).count() == 0
        editor = make_user("editor")
        login(editor).get(f"/matters/{matter.code}")  # staff views are not counted
        flush()
        assert db.session.query(PageView).one().views == 1
    finally:
        app.config["POPULARITY_FLUSH_SECONDS"] = 0


def test_a_link_through_keeps_a_daily_visitor_key_never_the_address(app, make_department, make_matter):
    matter = make_matter(make_department(), name="事项", status="published")
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.9"}, headers={"User-Agent": "UA"}):
        from flask_login import AnonymousUserMixin

        key = visitor_key(AnonymousUserMixin())
        count_link_through(matter, AnonymousUserMixin())
    row = db.session.query(LinkThrough).one()
    assert row.visitor == key and "203.0.113.9" not in key and len(key) <= 16 and not row.by_staff
