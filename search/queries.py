"""Building and running searches. The query is assembled from small components (as GOV.UK's
search-api does), each of which can be switched off per request to see why a result ranks
where it does:

The query is first understood (search/understanding.py): filler and question words are set aside,
generic service words (办理, 申请, 许可证 …) kept only as a light signal, the action asked for
(新办/补办/换领/变更/注销/查询) and regions (广州, 广东, 广安) recognised. Then:

    words      jieba words of the content words against title, aliases (俗称), body, department
    bigrams    character bigrams inside the content words against title and aliases (partial names, typos)
    chars      every character of the content in the title (abbreviations: 律协 → 律师协会)
    generic    the generic service words, lightly, against the title's words
    lexicon    the same three for each wording with a colloquial term replaced by its official terms
               (only where the term covers whole words; pinyin and initials of the terms too)
    synonyms   the same for the administrators' synonym groups
    intent     names carrying the action asked for rank higher, other actions' names lower
    region     matters of the region named rank higher
    pinyin     typed pinyin (shiye dengji) and homophone typos (失叶登记) against title pinyin
    initials   pinyin initials (yyzz) against the initials of words and names
    popularity link-through and page views, decayed over time (computed at index time)
    depth      matters that can be handled online rank a little higher
    format     matters before hotline answers of similar relevance (most answers are one caller's case)
    best_bets  matters an administrator pinned for this query come first
    dedupe     one result per distinct title

Pure functions of plain data: the portal passes in the lexicon, synonyms and best bets it keeps in
its database; the hotline console and the evaluation call `search()` the same way.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import rjieba

from search import analysis, lexicon, understanding
from search.analysis import normalize
from search.documents import FACET_SEPARATOR, FACETS
from search.indexes import KINDS, alias_name

COMPONENTS = (
    "words", "bigrams", "chars", "generic", "lexicon", "synonyms", "pinyin", "initials", "intent", "region",
    "popularity", "depth", "format", "best_bets", "dedupe", "weak",
)
FACET_SIZE = 30  # values shown per facet
# The facets without a filter of their own are counted together on the matters' `facet_values`;
# all their values are fetched, so each facet's first FACET_SIZE are exact.
FACET_VALUES_SIZE = 10_000
MAX_QUERY_LENGTH = 100
MAX_PAGE = 100
MAX_SIZE = 50
MAX_SYNONYM_VARIANTS = 4
# Each kind's score is multiplied by its weight (1 when not listed). The kinds live in indexes of
# their own, so a score is relative to its own index; this keeps a citizen's 全部 tab led by
# the matter itself rather than by the hotline cases that mention it.
FORMAT_WEIGHTS = {"answer": 0.6}
LOOKUP_EXTRA_HITS = 6  # fetched beyond the page, so dropping duplicate titles still fills it
SNIPPET_CHARS = 90
BEST_BET_BOOST = 10_000
LOOSE_PINYIN_MIN_SYLLABLES = 4
# Shorter pinyin prefixes match too much when one letter may be wrong.
FUZZY_SUGGEST_MIN_LETTERS = 5
LEXICON_WEIGHT = 0.9
SYNONYM_WEIGHT = 0.8
GENERIC_WEIGHT = 0.3
INTENT_BOOST = 1.5
OTHER_INTENT_WEIGHT = 0.5
OTHER_CANCEL_WEIGHT = 0.3
OTHER_STEP_WEIGHT = 0.7
REGION_BOOST = 1.3
WEAK_TOP = 3
LEXICON_SUGGESTIONS = 3
WEAK_COVERAGE = 0.3

# What a hit shows (the snippet is the highlighter's: the body itself is not fetched, a third of an
# answer's bytes).
_SOURCE_FIELDS = ["kind", "entity_id", "code", "title", "url", "department", "matter_type", "level", "online_depth"]


@dataclass
class SearchParams:
    q: str
    kind: str | None = None  # one of KINDS, or None for all kinds
    filters: dict = field(default_factory=dict)  # facet → list of values (OR within, AND across)
    page: int = 1
    size: int = 10
    synonyms: dict = field(default_factory=dict)  # term → list of equivalent terms
    lexicon: dict = field(default_factory=dict)  # colloquial term → official terms (one way)
    best_bets: list = field(default_factory=list)  # document ids, in order
    disabled: frozenset = frozenset()  # component names switched off
    explain: bool = False
    with_facets: bool = True
    kinds: tuple = KINDS  # the indexes searched
    # A live lookup (the hotline console, on every pause in typing) shows titles only: no
    # highlights and no exact totals, and duplicates are dropped from a few extra hits rather than
    # collapsed in Elasticsearch. Each of those roughly doubles Elasticsearch's time per query.
    lookup: bool = False
    # Operators' internal knowledge (imported hotline replies not curated for the public) is found
    # only by searches that ask for it: the hotline console.
    internal: bool = False
    # The weak-match verdict and did-you-mean, for callers that show them (a results page, the
    # console); off for callers that do not (the API, the closest answers), which spares their
    # work and, on a search with no results, a second request to Elasticsearch.
    hints: bool = True

    def __post_init__(self):
        # The one place a search's words, page and size are made what a search may be: every
        # function below reads them from here as they are.
        self.q = clean_query(self.q)
        self.page = min(max(self.page, 1), MAX_PAGE)
        self.size = min(max(self.size, 1), MAX_SIZE)

    def enabled(self, component):
        return component not in self.disabled


@dataclass
class SearchHit:
    id: str
    type: str
    title: str
    url: str
    snippet: str  # HTML: escaped text with <mark> around matches
    department: str | None
    score: float | None
    best_bet: bool = False
    fields: dict = field(default_factory=dict)
    explanation: dict | None = None
    marked: str | None = field(default=None, repr=False)  # the words title_html marks; None: none

    @cached_property
    def title_html(self):
        """The title as HTML with the query's words marked ("" when none are): made when first read,
        so callers that never show it (the API, the closest answers) never pay for it."""
        return mark_title(self.title, self.marked) if self.marked is not None else ""


@dataclass
class SearchResults:
    total: int
    hits: list
    counts: dict  # kind → number of results
    facets: dict  # facet → [(value, count)]
    took_ms: int
    degraded: bool = False
    did_you_mean: str | None = None
    # True when no matter among the first results carries what the query asks for (weak_match):
    # the page says so and shows the closest hotline answers first.
    weak: bool = False


def clean_query(text):
    """The query as searched: normalised, and cut to a length no citizen needs (without a space
    left at the cut)."""
    return analysis.normalize(text)[:MAX_QUERY_LENGTH].rstrip()


def synonym_variants(query, synonyms, limit=MAX_SYNONYM_VARIANTS):
    """Variants of the query with one known term replaced by an equivalent, only where the term
    covers whole words of the query (never inside a compound: 注册 leaves 注册建造师 alone)."""
    words = [word for word, _, _ in rjieba.tokenize(query) if word.strip()]
    return ["".join(variant) for variant in lexicon.expand(words, synonyms, limit=limit)]


def _words_clauses(words, params, weight=1.0, extra_chars=()):
    """The words, bigrams and chars components for one wording (a list of content words).
    extra_chars: generic words that join a short wording's characters (律协 + 查询)."""
    clauses = []
    text = " ".join(words)
    query_words = [word for word in analysis.words(text) if word]
    if params.enabled("words") and query_words:
        clauses.append({"multi_match": {
            "query": " ".join(query_words),
            "fields": ["title_words^3", "alias_words^3", "body_words^0.3", "department_words^0.5"],
            "type": "best_fields", "tie_breaker": 0.3, "boost": weight,
        }})
    han_text = "".join(re.findall(r"[\u3400-\u9fff]", text))
    if params.enabled("bigrams") and len(han_text) >= 2:
        # Pairs are taken inside each content word only, never across a word set aside.
        clauses.append({"multi_match": {
            "query": text, "fields": ["title.bigrams^2", "aliases.bigrams^2"],
            "type": "best_fields", "tie_breaker": 0.3, "boost": weight,
        }})
    # Two characters anywhere in a title match far too much; abbreviations have three or more.
    if len(han_text) == 2 and extra_chars:
        han_text += "".join(re.findall(r"[\u3400-\u9fff]", "".join(extra_chars)))
    if params.enabled("chars") and len(han_text) >= 3:
        clauses.append({"match": {"title": {"query": han_text, "operator": "and", "boost": 0.5 * weight}}})
    return clauses


def _text_clauses(query, params, weight=1.0):
    return _words_clauses(analysis.query_words(query) or analysis.words(query), params, weight)


def _pinyin_clauses(query, params, spoken_text=None):
    clauses = []
    if params.enabled("pinyin"):
        typed = analysis.split_pinyin(query)
        if typed:
            clauses.append({"match": {"pinyin": {"query": " ".join(typed), "operator": "and", "boost": 3}}})
            clauses.append({"match_phrase": {"pinyin": {"query": " ".join(typed), "slop": 3, "boost": 2}}})
        elif analysis.has_han(query):
            # Homophone typos: 失叶登记 sounds like 失业登记 (the content words only).
            spoken = analysis.pinyin_syllables(spoken_text if spoken_text is not None else query)
            if len(spoken) >= 2:
                clauses.append({"match_phrase": {"pinyin": {"query": " ".join(spoken), "boost": 1.5}}})
            # Most of the sounds, in any order: only for longer queries, short ones match too much.
            if len(spoken) >= LOOSE_PINYIN_MIN_SYLLABLES:
                clauses.append({"match": {"pinyin": {
                    "query": " ".join(spoken), "minimum_should_match": "75%", "boost": 0.5,
                }}})
        if analysis.is_latin_query(query) and not typed:
            clauses.append({"match": {"pinyin": {
                "query": query, "fuzziness": "AUTO", "prefix_length": 1, "boost": 0.5,
            }}})
    if params.enabled("initials") and analysis.is_latin_query(query) and " " not in query:
        clauses.append({"term": {"initials": {"value": query, "boost": 4}}})
        clauses.append({"prefix": {"initials": {"value": query, "boost": 1}}})
    return clauses


def _intent_functions(understood):
    """Favour names carrying the action asked for; disfavour the other actions' names (a
    cancellation most of all), and appointments and progress queries unless asked for."""
    asked = understood.intent
    functions = []
    for intent in understanding.INTENT_MARKERS:
        if intent == "new" and not understood.intents:
            continue  # nothing asked: first applications are favoured only when asked for (初次, 考)
        if intent != asked and intent in understanding.FAVOURED_ONLY:
            continue  # a transfer is favoured when asked for, never held against a name (户口迁移审批)
        if intent == asked:
            weight = INTENT_BOOST
        elif intent == "cancel":
            weight = OTHER_CANCEL_WEIGHT
        elif intent in ("query", "appointment"):
            weight = OTHER_STEP_WEIGHT
        else:
            weight = OTHER_INTENT_WEIGHT
        # The actions a title names are found at index time (search.documents.title_actions): a
        # term here instead of a phrase query per marker on every matching document.
        functions.append({"filter": {"term": {"title_actions": intent}}, "weight": weight})
    return functions


def _region_functions(understood):
    functions = []
    for region in understood.regions:
        values = understanding.REGION_VALUES.get(region, ())
        functions.append({"filter": {"terms": {"region": list(values)}}, "weight": REGION_BOOST})
    return functions


def _wordings(query, understood, params):
    """(words, weight) of each wording to match: the content words as typed, with other spellings of
    numbers, and the lexicon's and synonyms' alternatives beside them."""
    content = understood.content or understood.generic
    if not content:
        content = analysis.query_words(query) or analysis.words(query)
    wordings = [(content, 1.0)]
    wordings += [([variant], 0.9) for variant in understood.variants]
    if params.enabled("lexicon") and params.lexicon:
        wordings += [(variant, LEXICON_WEIGHT) for variant in lexicon.expand(content, params.lexicon)]
    if params.enabled("synonyms") and params.synonyms:
        known = {tuple(words) for words, _ in wordings}
        wordings += [(variant, SYNONYM_WEIGHT) for variant in lexicon.expand(content, params.synonyms)
                     if tuple(variant) not in known]
    if params.enabled("lexicon") and params.lexicon and analysis.is_latin_query(query):
        for term in lexicon.latin_terms(query, lexicon.lexicon_for(params.lexicon)):
            wordings.append(([term], LEXICON_WEIGHT))
            wordings += [([official], LEXICON_WEIGHT) for official in params.lexicon.get(term, [])]
    return wordings


def relevance_query(query, params, understood=None):
    """Everything that decides whether a document matches and how well (no filters).
    understood: understanding.understand(query, params.lexicon), when the caller has it already."""
    if understood is None:
        understood = understanding.understand(query, params.lexicon or None)
    latin = analysis.is_latin_query(query)
    if latin:
        wordings = [entry for entry in _wordings(query, understood, params)[1:] if entry[0]]
        alternatives = [{"bool": {"should": clauses}} for words, weight in wordings
                        if (clauses := _words_clauses(words, params, weight, understood.generic))]
    else:
        wordings = _wordings(query, understood, params)
        alternatives = [{"bool": {"should": clauses}} for words, weight in wordings
                        if (clauses := _words_clauses(words, params, weight, understood.generic))]
    alternatives += _pinyin_clauses(query, params, spoken_text="".join(understood.content) or None)
    if not alternatives:
        return {"match_none": {}}
    matched = {"dis_max": {"queries": alternatives, "tie_breaker": 0.3}}
    if params.enabled("generic") and understood.generic and not latin:
        matched = {"bool": {"must": matched, "should": [{"match": {"title_words": {
            "query": " ".join(understood.generic), "boost": GENERIC_WEIGHT}}}]}}
    functions = []
    if params.enabled("intent") and not latin:
        functions += _intent_functions(understood)
    if params.enabled("region"):
        functions += _region_functions(understood)
    if functions:
        matched = {"function_score": {"query": matched, "functions": functions, "score_mode": "multiply",
                                      "boost_mode": "multiply"}}
    functions = []
    if params.enabled("popularity"):
        functions.append({"field_value_factor": {
            "field": "popularity", "modifier": "log1p", "factor": 1, "missing": 0,
        }, "weight": 0.15})
    if params.enabled("depth"):
        functions.append({"filter": {"range": {"online_depth": {"gte": 3}}}, "weight": 0.1})
    if functions:
        matched = {"function_score": {
            "query": matched, "functions": [{"weight": 1}, *functions],
            "score_mode": "sum", "boost_mode": "multiply",
        }}
    if params.enabled("format"):
        matched = {"function_score": {"query": matched, "boost_mode": "multiply", "functions": [
            {"filter": {"term": {"kind": kind}}, "weight": weight} for kind, weight in FORMAT_WEIGHTS.items()]}}
    if params.enabled("best_bets") and params.best_bets:
        pinned = [
            {"constant_score": {"filter": {"ids": {"values": [bet]}},
                                "boost": BEST_BET_BOOST * (len(params.best_bets) - position)}}
            for position, bet in enumerate(params.best_bets)
        ]
        matched = {"bool": {"should": [matched, *pinned], "minimum_should_match": 1}}
    return matched


# The audience of documents only operators see (records carry it in `audiences`).
INTERNAL_AUDIENCE = "internal"


def _public_only(query, params):
    if params.internal:
        return query
    return {"bool": {"must": [query], "must_not": [{"term": {"audiences": INTERNAL_AUDIENCE}}]}}


def _filter_clauses(filters, skip=None):
    clauses = []
    for facet, values in filters.items():
        if facet in FACETS and facet != skip and values:
            clauses.append({"terms": {facet: list(values)}})
    return clauses


def _marked_words(query, params):
    """What the highlights mark: the query and its synonym variants."""
    wordings = [query]
    if params.enabled("synonyms"):
        wordings += synonym_variants(query, params.synonyms)
    return " ".join(wordings)


# Tokens as the standard analyzer cuts a title: one per Han character, one per run of other letters
# and digits (lower-cased).
_HAN_CHARACTER = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_STANDARD_TOKEN = re.compile(f"[{_HAN_CHARACTER}]|[^\\W_{_HAN_CHARACTER}]+")
# Lucene's SimpleHTMLEncoder, as Elasticsearch's highlighter encodes text ("encoder": "html").
_HTML_ENCODED = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", "/": "&#x2F;"})


@lru_cache(maxsize=256)
def _tokens_of(marked):
    # Once per search, not once per hit.
    return frozenset(token.lower() for token in _STANDARD_TOKEN.findall(marked))


def mark_title(title, marked):
    """The title as HTML with <mark> around the tokens the query carries — what Elasticsearch's
    highlighter gave for the title (a match query on the standard-analysed field, the whole field as
    one fragment, HTML-encoded), made here: the highlighter's second pass over each hit cost more than
    a tenth of a search. "" when nothing in the title is marked."""
    wanted = _tokens_of(marked)
    parts, position = [], 0
    for token in _STANDARD_TOKEN.finditer(title):
        if token.group().lower() in wanted:
            parts += [title[position:token.start()].translate(_HTML_ENCODED), "<mark>",
                      token.group().translate(_HTML_ENCODED), "</mark>"]
            position = token.end()
    if not parts:
        return ""
    parts.append(title[position:].translate(_HTML_ENCODED))
    return _join_marks("".join(parts))


def _highlight(marked):
    return {
        "encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
        "fields": {
            "body": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1, "no_match_size": SNIPPET_CHARS,
                     "highlight_query": {"match": {"body": {"query": marked}}}},
        },
    }


def build_body(params, understood=None, marked=None):
    """The request body for one search (tab counts and facets included). understood: the query's
    understanding.understand(), and marked: _marked_words(), when the caller has them already
    (search() reads them once for all)."""
    query, page, size = params.q, params.page, params.size
    facet_filters = _filter_clauses(params.filters)
    post_filter = list(facet_filters)
    if params.kind:
        post_filter.append({"term": {"kind": params.kind}})
    body = {
        "query": _public_only(relevance_query(query, params, understood), params),
        "from": (page - 1) * size,
        "size": size,
        "track_total_hits": True,
        "_source": _SOURCE_FIELDS,
    }
    if params.lookup:
        body.update(track_total_hits=False, size=size + LOOKUP_EXTRA_HITS)
    else:
        body["highlight"] = _highlight(marked if marked is not None else _marked_words(query, params))
        if params.enabled("dedupe"):
            body["collapse"] = {"field": "title_key"}
    if post_filter:
        body["post_filter"] = {"bool": {"filter": post_filter}}
    if params.explain:
        body["explain"] = True
    if params.with_facets:
        body["aggs"] = _aggregations(params, facet_filters)
    return body


def _within(filters, name, aggregation):
    """The aggregation under the filters (a filter aggregation around it only when there are any:
    an empty one still costs a pass over the matches)."""
    if not filters:
        return aggregation
    return {"filter": {"bool": {"filter": filters}}, "aggs": {name: aggregation}}


def _aggregations(params, facet_filters):
    # Distinct titles per kind: with dedupe on, totals and tab counts are what the pages show.
    aggs = {"kinds": _within(facet_filters, "kind", {
        "terms": {"field": "kind", "size": len(KINDS)},
        "aggs": {"distinct": {"cardinality": {"field": "title_hash", "precision_threshold": 40000}}}})}
    # A facet is counted with every filter but its own, so the facets without a filter share one
    # aggregation (one pass over the matches instead of one per facet).
    unfiltered = [facet for facet in FACETS if not params.filters.get(facet)]
    if unfiltered:
        terms = {"field": "facet_values", "size": FACET_VALUES_SIZE}
        if len(unfiltered) < len(FACETS):
            terms["include"] = f"({'|'.join(unfiltered)}){FACET_SEPARATOR}.*"
        aggs["facet_values"] = _within(_filter_clauses(params.filters), "values", {"terms": terms})
    for facet in FACETS:
        if facet not in unfiltered:
            aggs[f"facet_{facet}"] = {
                "filter": {"bool": {"filter": [
                    {"term": {"kind": "matter"}}, *_filter_clauses(params.filters, skip=facet)]}},
                "aggs": {"values": {"terms": {"field": facet, "size": FACET_SIZE}}},
            }
    return aggs


def _buckets(aggregations, name, inner):
    found = aggregations.get(name, {})
    return found.get(inner, found).get("buckets", [])


def _facets(aggregations):
    """facet → [(value, count)], most frequent first, from either form of facet aggregation."""
    facets = {}
    for bucket in _buckets(aggregations, "facet_values", "values"):
        facet, _, value = bucket["key"].partition(FACET_SEPARATOR)
        if facet in FACETS:
            found = facets.setdefault(facet, [])
            if len(found) < FACET_SIZE:
                found.append((int(value) if facet == "online_depth" else value, bucket["doc_count"]))
    for facet in FACETS:
        if f"facet_{facet}" in aggregations:
            facets[facet] = [(bucket["key"], bucket["doc_count"])
                             for bucket in aggregations[f"facet_{facet}"]["values"]["buckets"]]
    if "facet_values" in aggregations:
        for facet in FACETS:
            facets.setdefault(facet, [])
    return {facet: facets[facet] for facet in FACETS if facet in facets}


def _join_marks(html):
    # The standard analyzer marks one character at a time; join neighbours into one <mark>.
    return html.replace("</mark><mark>", "")


def _hit(raw, best_bets, marked=None):
    source = raw["_source"]
    highlight = raw.get("highlight", {})
    snippet = _join_marks(highlight["body"][0]) if "body" in highlight else ""
    return SearchHit(
        id=raw["_id"], type=source["kind"], title=source["title"], url=source.get("url", ""),
        snippet=snippet, department=source.get("department"),
        score=raw.get("_score"), best_bet=raw["_id"] in best_bets,
        fields={key: source.get(key) for key in ("code", "matter_type", "level", "online_depth", "entity_id")},
        explanation=raw.get("_explanation"), marked=marked,
    )


def aliases_for(prefix, kinds=KINDS):
    return ",".join(alias_name(prefix, kind) for kind in kinds)


def _distinct_titles(hits, size):
    seen, distinct = set(), []
    for hit in hits:
        key = normalize(hit.title)
        if key not in seen:
            seen.add(key)
            distinct.append(hit)
    return distinct[:size]


def search(es, prefix, params):
    """Run one search over params.kinds (the tab's kind filters the hits, not the counts)."""
    query = params.q
    # The query is understood once: the body, the weak-match verdict and did-you-mean all read it.
    understood = understanding.understand(query, params.lexicon or None)
    marked = None if params.lookup else _marked_words(query, params)
    body = build_body(params, understood, marked)
    response = es.search(index=aliases_for(prefix, params.kinds), body=body, ignore_unavailable=True)
    best_bets = set(params.best_bets)
    hits = [_hit(raw, best_bets, marked) for raw in response["hits"]["hits"]]
    if params.lookup:
        hits = _distinct_titles(hits, params.size) if params.enabled("dedupe") else hits[:params.size]
    aggregations = response.get("aggregations", {})
    counts = dict.fromkeys(KINDS, 0)
    dedupe = params.enabled("dedupe")
    for bucket in _buckets(aggregations, "kinds", "kind"):
        # Documents without a title_hash (an index built before it existed, until `flask search
        # reindex`) count as distinct: no tab shows 0 for what it holds.
        counts[bucket["key"]] = (bucket["distinct"]["value"] or bucket["doc_count"]) if dedupe else bucket["doc_count"]
    facets = _facets(aggregations)
    total = len(hits) if params.lookup else response["hits"]["total"]["value"]
    if dedupe and "kinds" in aggregations:
        total = counts[params.kind] if params.kind else sum(counts.values())
    results = SearchResults(
        total=total, hits=hits, counts=counts, facets=facets,
        took_ms=response["took"],
    )
    if not params.hints:
        return results
    if query and not params.lookup and params.page == 1 and params.kind in (None, "matter"):
        results.weak = bool(hits) and params.enabled("weak") and weak_match(query, hits, params,
                                                                            understood=understood)
    if query and not params.lookup and (results.total == 0 or results.weak):
        results.did_you_mean = lexicon_did_you_mean(query, params, understood)
        if results.did_you_mean is None and results.total == 0:
            results.did_you_mean = did_you_mean(es, prefix, params)
    return results


def lexicon_did_you_mean(query, params, understood=None):
    """The query with a homophone typo corrected from the lexicon's vocabulary (居注证办理 →
    居住证办理), or None."""
    if not params.lexicon or analysis.is_latin_query(query):
        return None
    if understood is None:
        understood = understanding.understand(query, params.lexicon or None)
    found = lexicon.correction(understood.content, lexicon.lexicon_for(params.lexicon))
    return query.replace(found[0], found[1], 1) if found else None


def did_you_mean(es, prefix, params):
    """For a query with no results: the closest title by sound or by most characters."""
    query = params.q
    spoken = analysis.split_pinyin(query) or analysis.pinyin_syllables(query)
    should = [{"match": {"title": {"query": query, "minimum_should_match": "60%"}}}]
    if spoken:
        should.append({"match": {"pinyin": {"query": " ".join(spoken), "fuzziness": 1,
                                            "minimum_should_match": "70%"}}})
    response = es.search(index=aliases_for(prefix, [params.kind] if params.kind else params.kinds),
                         ignore_unavailable=True,
                         query={"bool": {"should": should}}, size=1, _source=["title"])
    hits = response["hits"]["hits"]
    if hits and hits[0]["_source"]["title"] != query:
        return hits[0]["_source"]["title"]
    return None


def suggest(es, prefix, text, kind=None, size=8, lexicon_table=None):
    """Completions as you type: colloquial terms of the lexicon that start with the text (or its
    pinyin), offered as searches, then titles whose name, 俗称 or pinyin starts with the text (never
    operators' internal knowledge)."""
    prefix_text = clean_query(text)
    if not prefix_text:
        return []
    colloquial = []
    if lexicon_table and kind in (None, "matter"):
        for term in lexicon.lexicon_for(lexicon_table).complete(prefix_text, limit=LEXICON_SUGGESTIONS):
            colloquial.append({"title": term, "url": "", "type": "query",
                               "hint": "、".join(lexicon_table.get(term, [])[:2])})
    completion = {"field": "suggest", "size": size * 2, "skip_duplicates": True}
    if analysis.is_latin_query(prefix_text) and len(prefix_text) >= FUZZY_SUGGEST_MIN_LETTERS:
        completion["fuzzy"] = {"fuzziness": 1, "prefix_length": 1}
    response = es.search(
        index=aliases_for(prefix, [kind] if kind else KINDS), ignore_unavailable=True, size=0,
        _source=["title", "url", "kind", "audiences"],
        suggest={"names": {"prefix": prefix_text.replace(" ", ""), "completion": completion}},
    )
    seen, suggestions = set(), []
    for option in response["suggest"]["names"][0]["options"]:
        title = option["_source"]["title"]
        if INTERNAL_AUDIENCE in (option["_source"].get("audiences") or []):
            continue
        if title not in seen:
            seen.add(title)
            suggestions.append({"title": title, "url": option["_source"].get("url", ""),
                                "type": option["_source"].get("kind")})
    return (colloquial + suggestions)[:size]


def _bigrams(text):
    return {text[i:i + 2] for i in range(len(text) - 1)}


def covers(title, words, alternatives):
    """Share of the content words a title carries: the word itself, one of its alternatives from
    the lexicon or synonyms, or (for longer words) most of its character pairs."""
    if not words:
        return 1.0
    title = normalize(title)
    found = 0
    for word in words:
        if word in title or any(alternative in title for alternative in alternatives.get(word, ())):
            found += 1
        elif len(word) >= 3 and len(_bigrams(word) & _bigrams(title)) * 3 >= len(_bigrams(word)) * 2:
            found += 1
    return found / len(words)


def word_alternatives(content, params):
    """content word → alternative terms from the lexicon and synonyms (for spans of whole words)."""
    alternatives = {}
    for table_name in ("lexicon", "synonyms"):
        table = getattr(params, table_name)
        if not params.enabled(table_name) or not table:
            continue
        for start, end, term in lexicon.aligned_spans(content, table):
            for word in content[start:end]:
                alternatives.setdefault(word, []).extend(table[term])
    return alternatives


def weak_match(query, hits, params, top=WEAK_TOP, understood=None):
    """True when none of the first matters carries at least half of what the query asks for: the
    page then says that no matching service was found instead of presenting them as answers.
    Pinyin and initials queries are judged by their results alone."""
    if analysis.is_latin_query(query):
        return False
    if understood is None:
        understood = understanding.understand(query, params.lexicon or None)
    content = understood.content
    if not content:
        return False
    alternatives = word_alternatives(content, params)
    matters = [hit for hit in hits if hit.type == "matter"][:top]
    return not any(covers(hit.title, content, alternatives) >= WEAK_COVERAGE for hit in matters)
