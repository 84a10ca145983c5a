"""Query analytics: searches per query, zero results, click-through counted by the query's words."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import QueryLog, SearchClick, utcnow
from portal.site_search.admin import analytics

pytestmark = pytest.mark.integration


def _searches(query, times, channel="page", results=3, at=None):
    db.session.add_all(QueryLog(query=query, results=results, channel=channel, at=at or utcnow())
                       for _ in range(times))


def _clicks(query, times, at=None):
    db.session.add_all(SearchClick(query=query, result_id=f"matter-{number}", position=number + 1, at=at or utcnow())
                       for number in range(times))


def test_click_through_is_clicks_per_page_search_of_the_query(app):
    _searches("失业登记", 4)
    _searches("失业登记", 2, channel="api")  # counted as searches, but API results have no click links
    _clicks("失业登记", 2)
    _searches("社保卡", 1)
    _clicks("社保卡", 3)  # several results opened after one search
    _searches("户口", 1, results=0)
    _searches("旧词", 1, at=utcnow() - timedelta(days=40))
    _clicks("旧词", 1, at=utcnow() - timedelta(days=40))
    db.session.commit()
    top = {query: row for query, *row in analytics.top_queries()}
    assert top["失业登记"] == [6, 3.0, 2, 0.5]
    assert top["社保卡"] == [1, 3.0, 3, 3.0]
    assert top["户口"] == [1, 0.0, 0, 0.0]
    assert "旧词" not in top
    assert list(top)[0] == "失业登记"  # most searched first
    assert analytics.totals() == {"searches": 8, "zero": 1, "degraded": 0, "click_through": 5 / 6}


def test_no_searches_no_click_through(app):
    assert analytics.totals() == {"searches": 0, "zero": 0, "degraded": 0, "click_through": 0.0}
    assert analytics.top_queries() == []
