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


def test_an_index_built_before_the_title_hash_still_counts_what_it_holds(app, elasticsearch):
    """Until `flask search reindex` builds a current index, an older one (no title_hash, no
    title_actions) answers with plain document counts instead of empty tabs."""
    from search.indexes import MAPPINGS, create_index, new_index_name, swap_alias

    es, prefix = elasticsearch, search_client.index_prefix
    older = {**MAPPINGS, "properties": {name: mapping for name, mapping in MAPPINGS["properties"].items()
                                        if name not in ("title_hash", "title_actions", "facet_values")}}
    name = create_index(es, new_index_name(prefix, "answer"), mappings=older)
    for number in (1, 2):
        es.index(index=name, id=f"answer-{number}", refresh=True,
                 document={"kind": "answer", "entity_id": str(number), "title": f"社保卡补办问题{number}",
                           "title_key": f"社保卡补办问题{number}", "title_words": "社保卡 补办 问题",
                           "body": "", "url": f"/answers/{number}"})
    swap_alias(es, alias_name(prefix, "answer"), name)
    results = search(es, prefix, SearchParams(q="社保卡补办", kind="answer"))
    assert results.counts["answer"] == results.total == 2
    assert len(results.hits) == 2
