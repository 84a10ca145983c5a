"""Popularity from link-throughs and guide page views, decayed over time, reaches the index."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import LinkThrough, PageView, utcnow
from portal.search_index import LINK_THROUGH_WEIGHT, POPULARITY_HALF_LIFE_DAYS, matter_popularity, matter_record

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
