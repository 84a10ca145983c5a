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
    everyday_names,
    flush,
    matter_popularity,
    most_linked_through,
    popular_matters,
    presentable,
    visitor_key,
)
from portal.site_search.index import matter_record

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


def test_a_fresh_install_shows_curated_everyday_matters_never_test_records_or_markup(app, client, make_department,
                                                                                   make_matter):
    """Issue 14 item 5: with no use yet, 热门事项 showed province-level oddities and, on a used
    development database, test records and a matter named with markup."""
    county, province = make_department("广安区人社局"), make_department("广东省人社厅")
    names = everyday_names()
    card = make_matter(county, name=names[0], status="published", level="县", handling_url="https://a.example/1")
    make_matter(province, name=names[0], status="published", level="省", handling_url="https://a.example/2")
    residence = make_matter(county, name=names[1], status="published", level="县")
    make_matter(county, name=names[2], status="draft", level="县")  # not published: never shown
    odd = [make_matter(county, name=name, short_name="短名", status="published", handling_url="https://a.example/x",
                       life_events=["出生一件事"])
           for name in ("测试事项", "<b>加粗</b>事项", "test", "事项 test 2", "{{ 7*7 }}", "&lt;i&gt;事项")]
    real = make_matter(county, name="普通话水平测试等级证书核发", short_name="普通话证", status="published",
                       handling_url="https://a.example/y")
    for matter in odd:  # even when many people used them
        for number in range(app.config["POPULAR_MIN_VISITORS"]):
            _click(matter, f"a{number}")
    db.session.commit()
    shown = popular_matters(8)
    assert shown[:2] == [card, residence]  # the list's order; of two, the local one with a handling URL
    assert real in shown and not {matter.id for matter in odd} & {matter.id for matter in shown}
    assert all(matter.status == "published" for matter in shown)
    home = client.get("/").get_data(as_text=True)
    assert names[0] in home and "加粗" not in home and "测试事项" not in home


def test_odd_names_are_told_from_real_ones():
    for name in ("测试事项", "测试", "TEST matter", "我的测试", "demo 3", "a<b", "{{x}}", "&amp;", "测试用事项"):
        assert not presentable(name), name
    for name in ("普通话水平测试等级证书核发", "省测试分析研究所科研查询", "居住证办理", "《出生医学证明》首次签发"):
        assert presentable(name), name
