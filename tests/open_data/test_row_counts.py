"""The row counts the open-data pages show: kept by each app, counted again after a content change."""

from datetime import timedelta

import pytest

from portal import content_generation
from portal.extensions import db
from portal.models import MatterStep, QueryLog, utcnow
from portal.open_data import catalog, datasets

pytestmark = pytest.mark.integration


def test_a_change_moves_the_content_generation_and_the_count_follows(app, sample):
    steps = datasets.get("matter-steps")
    assert catalog.row_count(steps) == 2
    fingerprint, generation = steps.fingerprint(), content_generation.current()
    # A step written on its own, as an import of the related tables writes it: the published
    # matters' fingerprint does not see it; the content generation does.
    db.session.add(MatterStep(matter_id=sample["pension"].id, name="受理", position=0))
    db.session.commit()
    assert steps.fingerprint() == fingerprint and content_generation.current() != generation
    assert catalog.row_count(steps) == 3


def test_two_apps_in_one_process_count_their_own_rows(app, other_app):
    search, last_week = datasets.get("search-weekly"), utcnow() - timedelta(days=7)
    # As many searches at the same time in both (the same fingerprint), but one word asked five times
    # here and five different words there: one published row here, none there.
    db.session.add_all(QueryLog(at=last_week, query="社保卡", results=1, page=1) for _ in range(5))
    db.session.commit()
    assert catalog.row_count(search) == 1
    with other_app.app_context():
        db.session.add_all(QueryLog(at=last_week, query=f"词语{index}", results=1, page=1) for index in range(5))
        db.session.commit()
        other_fingerprint = search.fingerprint()
        assert catalog.row_count(search) == 0
    assert search.fingerprint() == other_fingerprint
    assert catalog.row_count(search) == 1


def test_the_search_statistics_are_counted_again_when_the_log_changes_not_on_every_publish(
        app, make_department, monkeypatch):
    search, last_week = datasets.get("search-weekly"), utcnow() - timedelta(days=7)
    read, counted = datasets.search_rows, []
    monkeypatch.setattr(datasets, "search_rows", lambda: counted.append(1) or read())
    db.session.add_all(QueryLog(at=last_week, query="社保卡", results=1, page=1) for _ in range(5))
    db.session.commit()
    assert catalog.row_count(search) == 1 and len(counted) == 1
    make_department("新部门")  # content: moves the generation, not the query log
    assert catalog.row_count(search) == 1 and len(counted) == 1
    db.session.add_all(QueryLog(at=last_week, query="公积金", results=0, page=1) for _ in range(5))
    db.session.commit()
    assert catalog.row_count(search) == 3 and len(counted) == 2  # top 社保卡 and 公积金, zero-result 公积金
