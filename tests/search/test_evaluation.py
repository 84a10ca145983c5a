"""The relevance evaluation: graded metrics as the citizen set's grade.py computes them, the
deterministic split, bootstrap intervals, and a run on the real catalogue with a floor."""

import math

import pytest

from search import evaluation
from search.evaluation import EvalQuery, score_query, summarise


@pytest.mark.unit
def test_graded_metrics_follow_the_shared_grader():
    item = EvalQuery("开饭店", "colloquial", {"食品经营许可": 2, "食品经营许可变更": 1, "保安员证": 0})
    score = score_query(item, ["保安员证", "食品经营许可", "食品经营许可", "食品经营许可变更"])
    ideal = 3 + 1 / math.log2(3)
    assert score.ndcg == pytest.approx((3 / math.log2(3) + 1 / math.log2(5)) / ideal)
    assert score.rr == 0.5
    assert score.p3 == pytest.approx(1 / 3)  # the repeated name at rank 3 gains nothing
    assert score.unjudged == []
    empty = score_query(item, [])
    assert empty.returned == 0 and empty.ndcg == 0
    outside = score_query(EvalQuery("办ETC", "out-of-catalogue", {"保安员证": 0}), ["保安员证"])
    assert not outside.answerable and outside.ndcg is None


@pytest.mark.unit
def test_summary_counts_zero_results_and_unjudged():
    items = [EvalQuery("a", "x", {"甲": 2}), EvalQuery("b", "x", {"乙": 2}), EvalQuery("c", "y", {"丙": 0})]
    scores = [score_query(items[0], ["甲"]), score_query(items[1], []), score_query(items[2], ["丁"])]
    summary = summarise(scores)
    assert summary.answerable == 2 and summary.ndcg == 0.5
    assert summary.zero == pytest.approx(1 / 3) and summary.zero_answerable == 0.5
    assert summary.unjudged == 1
    low, high = summary.ndcg_ci
    assert 0 <= low <= 0.5 <= high <= 1


@pytest.mark.unit
def test_split_is_deterministic_and_about_a_third():
    queries = [f"查询{number}" for number in range(600)]
    held = [query for query in queries if evaluation.split_of(query) == "heldout"]
    assert [evaluation.split_of(query) for query in queries] == [evaluation.split_of(query) for query in queries]
    assert 150 < len(held) < 250


@pytest.mark.unit
def test_both_formats_are_read():
    citizen = evaluation.read_queries(evaluation.DEFAULT_SET)
    assert len(citizen) >= 180 and {"colloquial", "pinyin", "out-of-catalogue"} <= {q.category for q in citizen}
    assert sum(1 for q in citizen if q.answerable) >= 165
    dev = evaluation.read_queries(evaluation.DEFAULT_SET.parent / "dev-queries.tsv")
    assert len(dev) == 41 and all(q.category == "dev" and q.answerable for q in dev)


@pytest.mark.integration
def test_citizen_set_on_the_real_catalogue_beats_the_floor(app, elasticsearch):
    """The whole evaluation against the real Elasticsearch with the 3,397 real matters: ours must
    stay above a floor and above the plain baseline built in the same run."""
    from portal.extensions import search_client
    from portal.site_search.admin.lexicon import lexicon_table_or_seed
    from portal.site_search.admin.synonyms import synonym_table_or_seed
    from search.datasets import shared_matter_records

    with app.app_context():
        records = shared_matter_records(app.config["SHARED_DATA_DIR"])
        items = evaluation.read_queries(evaluation.DEFAULT_SET)
        results = evaluation.compare(search_client.indexing_es, search_client.index_prefix, records, items,
                                     evaluation.default_params(synonyms=synonym_table_or_seed(),
                                                               lexicon=lexicon_table_or_seed()))
    ours, theirs = summarise(results["portal"]), summarise(results["baseline"])
    assert ours.ndcg >= FLOOR, ours
    assert ours.ndcg > theirs.ndcg
    assert ours.zero_answerable <= 0.04
    held_out = summarise([score for score in results["portal"] if score.split == "heldout"])
    assert held_out.ndcg >= HELD_OUT_FLOOR, held_out


# Measured on 2026-12-01 at 19:25 UTC: 0.827 on all 239 queries, 0.789 on the 74 held-out ones (unjudged
# results count as 0, so new results the pool lacks lower the figure). The held-out floor is issue 12's target.
FLOOR = 0.80
HELD_OUT_FLOOR = 0.75
