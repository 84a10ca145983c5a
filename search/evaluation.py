"""Relevance evaluation: nDCG@10, MRR, recall@10 and zero-result rate over a TSV of
`query<TAB>expected name|another name`, for our search and for a baseline (Elasticsearch's
standard analyzer, multi_match over title and content) built from the same records in the
same run."""

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from elasticsearch.helpers import bulk

from search.analysis import normalize
from search.documents import baseline_document
from search.indexes import BASELINE_MAPPINGS, KINDS, alias_name, create_index
from search.indexing import reindex
from search.queries import SearchParams, search

CUTOFF = 10


@dataclass
class Judgement:
    query: str
    relevant: frozenset  # normalised names


@dataclass
class Metrics:
    ndcg: float
    mrr: float
    recall: float
    zero_rate: float
    queries: int


def read_judgements(path):
    judgements = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        query, names = line.split("\t", 1)
        relevant = frozenset(normalize(name) for name in names.split("|") if name.strip())
        if query.strip() and relevant:
            judgements.append(Judgement(query=query.strip(), relevant=relevant))
    return judgements


def _distinct(titles):
    return list(dict.fromkeys(normalize(title) for title in titles))


def score_ranking(titles, relevant):
    """(nDCG@10, reciprocal rank, recall@10) of one ranked list of titles, binary relevance
    over distinct titles."""
    ranked = _distinct(titles)[:CUTOFF]
    gains = [1 if title in relevant else 0 for title in ranked]
    dcg = sum(gain / math.log2(position + 2) for position, gain in enumerate(gains))
    ideal = sum(1 / math.log2(position + 2) for position in range(min(len(relevant), CUTOFF)))
    first = next((position for position, gain in enumerate(gains) if gain), None)
    return (
        dcg / ideal if ideal else 0.0,
        1 / (first + 1) if first is not None else 0.0,
        sum(gains) / min(len(relevant), CUTOFF),
    )


def evaluate(run_query, judgements):
    """run_query(text) → ranked titles. Returns Metrics and the per-query scores."""
    per_query = []
    for judgement in judgements:
        titles = run_query(judgement.query)
        ndcg, reciprocal_rank, recall = score_ranking(titles, judgement.relevant)
        per_query.append((judgement.query, ndcg, reciprocal_rank, recall, len(titles)))
    count = len(per_query) or 1
    metrics = Metrics(
        ndcg=sum(row[1] for row in per_query) / count,
        mrr=sum(row[2] for row in per_query) / count,
        recall=sum(row[3] for row in per_query) / count,
        zero_rate=sum(1 for row in per_query if row[4] == 0) / count,
        queries=len(per_query),
    )
    return metrics, per_query


def _eval_prefix(prefix):
    return f"{prefix}-eval-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"


def build_baseline(es, index, records):
    create_index(es, index, mappings=BASELINE_MAPPINGS, refresh_interval="-1")
    bulk(es, ({"_index": index, "_id": str(record["entity_id"]), "_source": baseline_document(record)}
              for record in records), chunk_size=1000)
    es.indices.refresh(index=index)


def baseline_titles(es, index, query):
    response = es.search(index=index, size=CUTOFF * 2, _source=["title"], query={
        "multi_match": {"query": query, "fields": ["title", "content"]},
    })
    return [hit["_source"]["title"] for hit in response["hits"]["hits"]]


def compare(es, prefix, records, judgements, synonyms):
    """Index `records` twice (ours and the baseline) under a temporary prefix, evaluate both,
    delete the indexes. Returns {"portal": (Metrics, per_query), "baseline": (...)}."""
    eval_prefix = _eval_prefix(prefix)
    baseline_index = f"{eval_prefix}-baseline"
    try:
        reindex(es, eval_prefix, "matter", records)
        build_baseline(es, baseline_index, records)

        def ours(query):
            params = SearchParams(q=query, kind="matter", size=CUTOFF * 2, synonyms=synonyms, with_facets=False)
            return [hit.title for hit in search(es, eval_prefix, params).hits]

        return {
            "portal": evaluate(ours, judgements),
            "baseline": evaluate(lambda query: baseline_titles(es, baseline_index, query), judgements),
        }
    finally:
        names = [baseline_index] + [
            name for kind in KINDS for name in es.indices.get(index=f"{alias_name(eval_prefix, kind)}-*",
                                                               ignore_unavailable=True)
        ]
        es.indices.delete(index=",".join(names), ignore_unavailable=True)
