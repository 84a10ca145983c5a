"""Reindexing builds a new index and swaps the alias atomically: searches running meanwhile
always get answers, and the old index is deleted after the swap."""

import threading

import pytest

from portal.extensions import search_client
from search.indexes import MAPPINGS, alias_name, indexes_behind, is_current
from search.indexing import reindex
from search.queries import SearchParams, search

pytestmark = pytest.mark.integration


def _records(count, title):
    return [{"kind": "answer", "entity_id": n, "version": 1, "title": f"{title}{n}", "aliases": [], "body": "",
             "url": f"/answers/{n}"} for n in range(1, count + 1)]


def test_alias_swap_under_concurrent_searches(app, elasticsearch):
    es, prefix = elasticsearch, search_client.index_prefix
    first = reindex(es, prefix, "answer", _records(300, "社保卡补办问题"))
    outcomes, stop = [], threading.Event()

    def keep_searching():
        while not stop.is_set():
            try:
                hits = search(es, prefix, SearchParams(q="社保卡补办", kind="answer", with_facets=False)).total
                outcomes.append(hits)
            except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
                outcomes.append(error)

    searchers = [threading.Thread(target=keep_searching) for _ in range(3)]
    for thread in searchers:
        thread.start()
    try:
        second = reindex(es, prefix, "answer", _records(300, "社保卡补办问题"))
        third = reindex(es, prefix, "answer", _records(300, "社保卡补办问题"))
    finally:
        stop.set()
        for thread in searchers:
            thread.join()
    assert outcomes and all(outcome == 300 for outcome in outcomes), {repr(o) for o in outcomes if o != 300}
    assert indexes_behind(es, alias_name(prefix, "answer")) == [third.index]
    assert first.index in second.removed and second.index in third.removed
    assert not es.indices.exists(index=first.index) and not es.indices.exists(index=second.index)


def test_reindex_command_builds_from_the_database(app, elasticsearch, make_department, make_matter):
    make_matter(make_department(), id=900_101, name="再生育审批", status="published")
    make_matter(make_department(), id=900_102, name="草稿事项", status="draft")
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--kind", "matter"])
    assert result.exit_code == 0, result.output
    assert "已索引 1 条" in result.output
    found = search(elasticsearch, search_client.index_prefix, SearchParams(q="再生育", kind="matter"))
    assert [hit.title for hit in found.hits] == ["再生育审批"]


def test_an_index_built_with_another_mapping_is_not_current(app, elasticsearch):
    es, prefix = elasticsearch, search_client.index_prefix
    reindex(es, prefix, "article", _records(1, "通知"))
    assert is_current(es, alias_name(prefix, "article"))
    [name] = indexes_behind(es, alias_name(prefix, "article"))
    es.indices.put_mapping(index=name, meta={**MAPPINGS["_meta"], "mapping_version": 1})
    assert not is_current(es, alias_name(prefix, "article"))
    assert not is_current(es, alias_name(prefix, "nothing-here"))
    reindex(es, prefix, "article", [])  # a current one again for the tests after this one


def test_a_small_new_index_is_one_segment_before_searches_reach_it(app, elasticsearch):
    es, prefix = elasticsearch, search_client.index_prefix
    result = reindex(es, prefix, "answer", _records(1500, "社保卡补办问题"), chunk_size=100)
    shards = es.indices.segments(index=result.index)["indices"][result.index]["shards"]["0"]
    assert [copy["num_search_segments"] for copy in shards] == [1]
