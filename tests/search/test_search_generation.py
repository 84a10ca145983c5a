"""The search generation: moved by each change to what searches answer, read by every process."""

import time

import pytest

from portal import generation_reader
from portal.extensions import db
from portal.models import SearchGeneration
from portal.site_search import generation as search_generation

pytestmark = pytest.mark.integration


def test_each_change_moves_the_generation_and_this_process_sees_it_at_once(app):
    search_generation.bump()
    db.session.commit()
    before = search_generation.current()
    search_generation.bump()
    db.session.commit()
    assert search_generation.current() == before + 1


def test_a_count_whose_row_is_gone_starts_again_above_any_count_seen(app):
    search_generation.bump()
    db.session.commit()
    seen = search_generation.current()
    db.session.execute(db.delete(SearchGeneration))
    db.session.commit()
    search_generation.bump()
    db.session.commit()
    assert search_generation.current() > seen


def test_other_processes_read_it_at_most_every_check_interval(app, monkeypatch):
    search_generation.bump()
    db.session.commit()
    clock = [time.monotonic() + 10]  # past any reading an earlier test left
    monkeypatch.setattr(generation_reader.time, "monotonic", lambda: clock[0])
    seen = search_generation.current()
    # another process moves it: this one keeps its reading for CHECK_SECONDS
    db.session.execute(db.update(SearchGeneration).values(value=SearchGeneration.value + 5))
    db.session.commit()
    assert search_generation.current() == seen
    # a hair past the interval: (t + 0.2) - t can come out just under 0.2 in floating point
    clock[0] += search_generation.CHECK_SECONDS * 1.01
    assert search_generation.current() == seen + 5
