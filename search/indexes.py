"""Index definitions and the alias life cycle: each kind (matter, answer, article) is searched
through an alias; a reindex builds a new, versioned index and swaps the alias atomically."""

import hashlib
import json
from datetime import UTC, datetime

from search.understanding import INTENT_MARKERS

KINDS = ("matter", "answer", "article")
# Moves whenever a field is added or analysed differently: an index built before the change lacks
# what the queries read (`flask search reindex` — `make run` does it — builds a current one).
# Version 2: title_hash, title_actions, facet_values (cheaper counts and intent boosts).
MAPPING_VERSION = 2

SETTINGS = {
    "number_of_shards": 1,
    # One copy on a single node (green), a replica on another node as soon as the cluster has two: a
    # search survives the loss of a node (bench/faults.py, scenario es-cluster).
    "auto_expand_replicas": "0-1",
    "analysis": {
        "filter": {
            "bigram_only": {
                "type": "shingle", "min_shingle_size": 2, "max_shingle_size": 2,
                "output_unigrams": False, "output_unigrams_if_no_shingles": True,
            },
        },
        "analyzer": {
            # Character bigrams of the raw text: partial names and one wrong character still match.
            "cjk_bigram": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "bigram_only"]},
        },
    },
}

_WORDS = {"type": "text", "analyzer": "whitespace", "norms": True}
_KEYWORD = {"type": "keyword"}

def _actions_digest():
    # title_actions holds the actions of INTENT_MARKERS as they were at index time: an index built
    # with other markers is not current either.
    text = json.dumps(INTENT_MARKERS, ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]


MAPPINGS = {
    "dynamic": "strict",
    "_meta": {"mapping_version": MAPPING_VERSION, "intent_markers": _actions_digest()},
    "properties": {
        "kind": _KEYWORD,
        "entity_id": _KEYWORD,
        "code": _KEYWORD,
        "url": {"type": "keyword", "index": False},
        # The raw title: highlighted and matched one character at a time (standard analyzer).
        "title": {
            "type": "text", "analyzer": "standard",
            "fields": {"bigrams": {"type": "text", "analyzer": "cjk_bigram"}},
        },
        "title_key": _KEYWORD,  # exact title, for collapsing duplicates
        "title_hash": {"type": "long", "index": False},  # the title key as a number: distinct titles counted
        "title_actions": _KEYWORD,  # the actions the title names (新办, 补办, 注销 …): intent boosts
        "title_words": _WORDS,
        "aliases": {
            "type": "text", "analyzer": "standard",
            "fields": {"bigrams": {"type": "text", "analyzer": "cjk_bigram"}},
        },
        "alias_words": _WORDS,
        "body": {"type": "text", "analyzer": "standard", "index_options": "offsets"},
        "body_words": _WORDS,
        # Pairs of syllables are indexed too: the homophone phrase query (失叶登记 → shi ye deng ji)
        # then reads one short list per pair instead of the long lists of common syllables.
        "pinyin": {**_WORDS, "index_phrases": True},
        "initials": _WORDS,
        "suggest": {"type": "completion", "analyzer": "simple", "max_input_length": 60},
        "department": _KEYWORD,
        "facet_values": _KEYWORD,  # every facet of a matter as "facet:value", for counting them at once
        "department_words": _WORDS,
        "matter_type": _KEYWORD,
        "audiences": _KEYWORD,
        "themes": _KEYWORD,
        "life_events": _KEYWORD,
        "level": _KEYWORD,
        "region": _KEYWORD,
        "online_depth": {"type": "integer"},
        "popularity": {"type": "float"},
        "published_at": {"type": "date"},
    },
}

# Plain standard-analyzer index for the evaluation baseline: multi_match over title and content.
BASELINE_MAPPINGS = {
    "properties": {
        "title": {"type": "text", "analyzer": "standard"},
        "content": {"type": "text", "analyzer": "standard"},
        "title_key": _KEYWORD,
    },
}


def alias_name(prefix, kind):
    return f"{prefix}-{kind}"


def new_index_name(prefix, kind):
    """A fresh versioned name under the alias, e.g. portal-matter-20261123t151500123456."""
    stamp = datetime.now(UTC).strftime("%Y%m%dt%H%M%S%f")
    return f"{alias_name(prefix, kind)}-{stamp}"


def create_index(es, name, mappings=None, refresh_interval=None):
    settings = dict(SETTINGS)
    if refresh_interval is not None:
        settings["refresh_interval"] = refresh_interval
    es.indices.create(index=name, settings=settings, mappings=mappings or MAPPINGS)
    return name


def indexes_behind(es, alias):
    """Names of the indexes the alias points at now (none when it does not exist yet)."""
    if not es.indices.exists_alias(name=alias):
        return []
    return sorted(es.indices.get_alias(name=alias))


def swap_alias(es, alias, new_index):
    """Point the alias at new_index in one atomic request, then delete the indexes it left."""
    old = indexes_behind(es, alias)
    actions = [{"add": {"index": new_index, "alias": alias}}]
    actions += [{"remove": {"index": name, "alias": alias}} for name in old if name != new_index]
    es.indices.update_aliases(actions=actions)
    for name in old:
        if name != new_index:
            es.indices.delete(index=name)
    return old


def is_current(es, alias):
    """True when every index behind the alias was built with this code's mapping and intent markers."""
    names = indexes_behind(es, alias)
    if not names:
        return False
    mappings = es.indices.get_mapping(index=",".join(names))
    return all(mapping["mappings"].get("_meta") == MAPPINGS["_meta"] for mapping in mappings.values())


def ensure_aliases(es, prefix, kinds=KINDS):
    """Create an empty index behind every missing alias, so searches and writes always have one."""
    for kind in kinds:
        alias = alias_name(prefix, kind)
        if not es.indices.exists_alias(name=alias):
            name = create_index(es, new_index_name(prefix, kind))
            es.indices.update_aliases(actions=[{"add": {"index": name, "alias": alias}}])
