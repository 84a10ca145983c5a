"""Relevance evaluation with graded judgements, for our search and for a plain baseline built from
the same records in the same run.

Two formats of judged queries are read:

* a citizen-phrased set as in ``../shared/eval/citizen-dev/`` (a folder, or its ``queries.tsv``):
  every ``queries*.tsv`` (``query<TAB>category``) and every ``judgements*.tsv`` beside it
  (``query<TAB>matter name<TAB>grade`` with grades 0/1/2, judged blind on pooled results);
* the older regression list ``dev-queries.tsv`` (``query<TAB>name|name``): every listed name
  counts as grade 2, category ``dev``.

Metrics follow ``citizen-dev/grade.py`` exactly: top 10 results, names matched exactly (after
NFKC normalisation), graded nDCG@10 (gain 2^grade − 1, log2 discount, the ideal ranking built from
every judged name of the query, a name repeated lower in the list gains nothing), MRR (first
grade-2 result), P@3 (share of the first three positions with grade ≥ 1), zero rate (no result at
all). nDCG, MRR and P@3 are averaged over answerable queries (some grade > 0); the zero rate is
given over all queries and over answerable ones. Unjudged results count as 0 and are listed, so
that they can be judged blind and added to a ``judgements*.tsv`` file.

Each query belongs to a deterministic split: ``heldout`` when the first byte of the SHA-1 of its
UTF-8 text is divisible by 3 (about a third), ``tuning`` otherwise. Tune on ``tuning`` only.

Confidence intervals are percentile bootstraps over queries (resampled with replacement, fixed
seed), paired for the ratio of our nDCG to the baseline's.
"""

import hashlib
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from elasticsearch.helpers import bulk

from search.analysis import normalize
from search.documents import baseline_document
from search.indexes import BASELINE_MAPPINGS, KINDS, alias_name, create_index
from search.indexing import reindex
from search.queries import SearchParams, search

CUTOFF = 10
BOOTSTRAP_ROUNDS = 1000
BOOTSTRAP_SEED = 12345
SPLITS = ("tuning", "heldout")
DEFAULT_SET = Path(__file__).parent / "data" / "eval" / "citizen-dev"


@dataclass
class EvalQuery:
    query: str
    category: str
    grades: dict = field(default_factory=dict)  # normalised matter name → grade 0/1/2

    @property
    def split(self):
        return split_of(self.query)

    @property
    def answerable(self):
        return any(grade > 0 for grade in self.grades.values())


def split_of(query):
    """'heldout' for about a third of the queries (by a hash of the text), else 'tuning'."""
    return "heldout" if hashlib.sha1(query.encode("utf-8"), usedforsecurity=False).digest()[0] % 3 == 0 else "tuning"


def _rows(path):
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def read_citizen_set(folder):
    folder = Path(folder)
    queries = {}
    for path in sorted(folder.glob("queries*.tsv")):
        for parts in _rows(path):
            if parts[:2] == ["query", "category"] or not parts[0].strip():
                continue
            query = parts[0].strip()
            queries.setdefault(query, EvalQuery(query, parts[1].strip() if len(parts) > 1 else ""))
    for path in sorted(folder.glob("judgements*.tsv")):
        for parts in _rows(path):
            if len(parts) < 3 or parts[:3] == ["query", "name", "grade"]:
                continue
            query = parts[0].strip()
            if query in queries:
                queries[query].grades[normalize(parts[1])] = int(parts[2])
    return list(queries.values())


def read_name_list(path):
    """The older format: query<TAB>name|name, every name grade 2."""
    result = []
    for parts in _rows(path):
        if len(parts) < 2 or not parts[0].strip():
            continue
        grades = {normalize(name): 2 for name in parts[1].split("|") if name.strip()}
        if grades:
            result.append(EvalQuery(parts[0].strip(), "dev", grades))
    return result


def read_queries(path):
    """Judged queries from a citizen-set folder (or its queries.tsv) or a name-list TSV."""
    path = Path(path)
    if path.is_dir():
        return read_citizen_set(path)
    if path.name == "queries.tsv" or (path.parent / "judgements.tsv").exists() and path.name != "dev-queries.tsv":
        return read_citizen_set(path.parent)
    return read_name_list(path)


def _dcg(gains):
    return sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))


@dataclass
class QueryScore:
    query: str
    category: str
    split: str
    answerable: bool
    returned: int
    ndcg: float | None
    rr: float | None
    p3: float | None
    grades: list  # grade at each rank
    unjudged: list  # titles without a judgement


def score_query(item, titles):
    titles = list(titles)[:CUTOFF]
    seen, grades, unjudged = set(), [], []
    for title in titles:
        name = normalize(title)
        if name not in item.grades:
            unjudged.append(title)
        grades.append(0 if name in seen else item.grades.get(name, 0))
        seen.add(name)
    ideal = _dcg([2 ** grade - 1 for grade in sorted((g for g in item.grades.values() if g > 0),
                                                      reverse=True)[:CUTOFF]])
    answerable = ideal > 0
    rr = next((1 / rank for rank, grade in enumerate(grades, 1) if grade >= 2), 0.0)
    p3 = sum(1 for grade in grades[:3] if grade >= 1) / 3
    return QueryScore(
        query=item.query, category=item.category, split=item.split, answerable=answerable,
        returned=len(titles), ndcg=_dcg([2 ** grade - 1 for grade in grades]) / ideal if answerable else None,
        rr=rr if answerable else None, p3=p3 if answerable else None, grades=grades, unjudged=unjudged,
    )


@dataclass
class Summary:
    queries: int
    answerable: int
    ndcg: float
    mrr: float
    p3: float
    zero: float  # over all queries
    zero_answerable: float
    ndcg_ci: tuple = (0.0, 0.0)
    unjudged: int = 0


def _mean(values):
    return sum(values) / len(values) if values else 0.0


def bootstrap_interval(values, rounds=BOOTSTRAP_ROUNDS, seed=BOOTSTRAP_SEED, level=0.95):
    """Percentile bootstrap interval of the mean."""
    if not values:
        return (0.0, 0.0)
    generator = random.Random(seed)
    count = len(values)
    means = sorted(_mean([values[generator.randrange(count)] for _ in range(count)]) for _ in range(rounds))
    low = means[int((1 - level) / 2 * rounds)]
    high = means[min(rounds - 1, int((1 + level) / 2 * rounds))]
    return (low, high)


def paired_ratio_interval(ours, theirs, rounds=BOOTSTRAP_ROUNDS, seed=BOOTSTRAP_SEED, level=0.95):
    """Bootstrap interval of mean(ours) / mean(theirs), resampling the same queries for both."""
    if not ours:
        return (0.0, 0.0)
    generator = random.Random(seed)
    count = len(ours)
    ratios = []
    for _ in range(rounds):
        picks = [generator.randrange(count) for _ in range(count)]
        denominator = _mean([theirs[i] for i in picks])
        ratios.append(_mean([ours[i] for i in picks]) / denominator if denominator else math.inf)
    ratios.sort()
    return (ratios[int((1 - level) / 2 * rounds)], ratios[min(rounds - 1, int((1 + level) / 2 * rounds))])


def summarise(scores):
    answerable = [score for score in scores if score.answerable]
    ndcgs = [score.ndcg for score in answerable]
    return Summary(
        queries=len(scores), answerable=len(answerable), ndcg=_mean(ndcgs),
        mrr=_mean([score.rr for score in answerable]), p3=_mean([score.p3 for score in answerable]),
        zero=_mean([1.0 if score.returned == 0 else 0.0 for score in scores]),
        zero_answerable=_mean([1.0 if score.returned == 0 else 0.0 for score in answerable]),
        ndcg_ci=bootstrap_interval(ndcgs), unjudged=sum(len(score.unjudged) for score in scores),
    )


def run(run_query, items):
    """run_query(text) → ranked titles; one QueryScore per item."""
    return [score_query(item, run_query(item.query)) for item in items]


def _eval_prefix(prefix):
    return f"{prefix}-eval-{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"


def build_baseline(es, index, records):
    create_index(es, index, mappings=BASELINE_MAPPINGS, refresh_interval="-1")
    bulk(es, ({"_index": index, "_id": str(record["entity_id"]), "_source": baseline_document(record)}
              for record in records), chunk_size=1000)
    es.indices.refresh(index=index)


def baseline_titles(es, index, query):
    """The plain baseline: standard analyzer, default BM25, the name (weight 2) and the guide text."""
    response = es.search(index=index, size=CUTOFF, _source=["title"], query={
        "multi_match": {"query": query, "fields": ["title^2", "content"]},
    })
    return [hit["_source"]["title"] for hit in response["hits"]["hits"]]


def portal_runner(es, prefix, make_params):
    """run_query for our search: make_params(text) → SearchParams (the portal passes its own, with
    the lexicon and synonyms it keeps)."""
    def run_query(query):
        params = make_params(query)
        return [hit.title for hit in search(es, prefix, params).hits]
    return run_query


def default_params(synonyms=None, lexicon=None):
    def make(query):
        return SearchParams(q=query, kind="matter", size=CUTOFF, synonyms=synonyms or {}, lexicon=lexicon or {},
                            with_facets=False)
    return make


def compare(es, prefix, records, items, make_params):
    """Index `records` twice (ours and the baseline) under a temporary prefix, score both over
    `items`, delete the indexes. Returns {"portal": [QueryScore], "baseline": [QueryScore]}."""
    eval_prefix = _eval_prefix(prefix)
    baseline_index = f"{eval_prefix}-baseline"
    try:
        reindex(es, eval_prefix, "matter", records)
        build_baseline(es, baseline_index, records)
        return {
            "portal": run(portal_runner(es, eval_prefix, make_params), items),
            "baseline": run(lambda query: baseline_titles(es, baseline_index, query), items),
        }
    finally:
        names = [baseline_index] + [
            name for kind in KINDS for name in es.indices.get(index=f"{alias_name(eval_prefix, kind)}-*",
                                                               ignore_unavailable=True)
        ]
        es.indices.delete(index=",".join(names), ignore_unavailable=True)


def report_lines(results, split="all"):
    """The table `flask search evaluate` prints: per category then overall, both systems."""
    ours, theirs = results["portal"], results["baseline"]
    if split != "all":
        pairs = [(a, b) for a, b in zip(ours, theirs, strict=True) if a.split == split]
        ours, theirs = [a for a, _ in pairs], [b for _, b in pairs]
    categories = list(dict.fromkeys(score.category for score in ours))
    header = (f"{'category':18}{'n':>4}{'ans':>5} | {'nDCG@10':>7} {'95% CI':>13} {'MRR':>6} {'P@3':>6} "
              f"{'zero':>6} | {'base nDCG':>9} {'95% CI':>13} {'MRR':>6} {'P@3':>6} {'zero':>6}")
    lines = [f"split: {split}", header, "-" * len(header)]

    def row(label, a_scores, b_scores):
        a, b = summarise(a_scores), summarise(b_scores)

        def cells(summary):
            if not summary.answerable:
                return f"{'–':>7} {'':>13} {'–':>6} {'–':>6} {summary.zero:6.1%}"
            ci = f"[{summary.ndcg_ci[0]:.3f},{summary.ndcg_ci[1]:.3f}]"
            return f"{summary.ndcg:7.3f} {ci:>13} {summary.mrr:6.3f} {summary.p3:6.3f} {summary.zero:6.1%}"
        return f"{label:18}{a.queries:>4}{a.answerable:>5} | {cells(a)} | {cells(b)}"

    for category in categories:
        lines.append(row(category, [s for s in ours if s.category == category],
                         [s for s in theirs if s.category == category]))
    lines.append(row("all", ours, theirs))
    a, b = summarise(ours), summarise(theirs)
    answerable = [(x.ndcg, y.ndcg) for x, y in zip(ours, theirs, strict=True) if x.answerable]
    ratio = a.ndcg / b.ndcg if b.ndcg else math.inf
    low, high = paired_ratio_interval([x for x, _ in answerable], [y for _, y in answerable])
    better = sum(1 for x, y in answerable if x > y + 1e-9)
    worse = sum(1 for x, y in answerable if y > x + 1e-9)
    lines.append(f"nDCG@10 portal/baseline = {ratio:.2f}× (95% CI {low:.2f}–{high:.2f}); "
                 f"portal better on {better}, worse on {worse} answerable queries")
    lines.append(f"zero results on answerable queries: portal {a.zero_answerable:.1%}, "
                 f"baseline {b.zero_answerable:.1%}; unjudged results: portal {a.unjudged}, baseline {b.unjudged}")
    return lines, a, b


def unjudged_pairs(results, seed=BOOTSTRAP_SEED):
    """(query, title) pairs either system returned without a judgement, pooled and shuffled so that
    whoever judges them cannot tell which system returned which."""
    pairs = set()
    for scores in results.values():
        for score in scores:
            pairs.update((score.query, title) for title in score.unjudged)
    pooled = sorted(pairs)
    random.Random(seed).shuffle(pooled)
    return pooled
