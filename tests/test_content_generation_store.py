"""What an app keeps because of the content (content_generation.kept): computed once while the
content generation stays put, again when it moves, never shared between two apps of one process."""

import threading
import time

import pytest

from portal import content_generation
from portal.extensions import db
from portal.models import QueryLog

pytestmark = pytest.mark.integration


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_kept_until_the_content_moves_not_when_bookkeeping_is_written(app, make_department):
    calls, compute = _counter()
    assert content_generation.kept("test.value", compute) == 1
    assert content_generation.kept("test.value", compute) == 1
    db.session.add(QueryLog(query="社保卡", results=1))  # a log row is not content
    db.session.commit()
    assert content_generation.kept("test.value", compute) == 1
    make_department("新部门")  # content: moves the generation
    assert content_generation.kept("test.value", compute) == 2
    assert len(calls) == 2


def test_a_new_version_computes_again_within_one_generation(app):
    calls, compute = _counter()
    assert content_generation.kept("test.versioned", compute, version=("a", 1)) == 1
    assert content_generation.kept("test.versioned", compute, version=("a", 1)) == 1
    assert content_generation.kept("test.versioned", compute, version=("a", 2)) == 2


def test_threads_asking_at_once_share_one_computation(app):
    reader = content_generation.reader(app)
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return "done"

    results = []
    threads = [threading.Thread(target=lambda: results.append(reader.kept("test.slow", slow))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["done"] * 8 and len(calls) == 1


def test_each_app_keeps_its_own(app, other_app):
    assert content_generation.kept("test.whose", lambda: "first") == "first"
    with other_app.app_context():
        assert content_generation.kept("test.whose", lambda: "other") == "other"
    assert content_generation.kept("test.whose", lambda: "again") == "first"


def test_lasting_values_outlive_content_changes_until_their_version_moves(app, other_app, make_department):
    calls, compute = _counter()
    assert content_generation.kept("test.file", compute, version="a.jsonl", lasting=True) == 1
    make_department("新部门")
    assert content_generation.kept("test.file", compute, version="a.jsonl", lasting=True) == 1
    assert content_generation.kept("test.file", compute, version="b.jsonl", lasting=True) == 2
    with other_app.app_context():
        assert content_generation.kept("test.file", lambda: "other", version="b.jsonl", lasting=True) == "other"
