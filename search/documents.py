"""Turn a plain record (a dict the portal builds from its models) into an index document with
the analysed fields the queries use: words, pinyin, initials and completion inputs."""

import hashlib
from functools import lru_cache

from search import analysis
from search.analysis import normalize
from search.understanding import INTENT_MARKERS

# Fields copied as they are (facets and ranking signals).
PLAIN_FIELDS = (
    "kind", "code", "url", "department", "matter_type", "audiences", "themes", "life_events",
    "level", "region", "online_depth", "popularity", "published_at",
)
# Only the start of long bodies is analysed: the rest adds index time and little relevance.
BODY_LIMIT = 2000
SUGGEST_WEIGHT_CAP = 1000
# The facets a matter's search results are narrowed by (search.queries reads them from here), each
# a field of its own and also kept together in one field ("facet:value" each), so the facet counts
# of a search without filters are one aggregation instead of one per facet.
FACETS = ("department", "matter_type", "audiences", "themes", "online_depth", "level")
FACET_SEPARATOR = ":"


# The same names and texts recur across regions (实施清单 items of one catalogue matter) and
# editions, so their analysis is cached.
segmented = lru_cache(maxsize=20_000)(analysis.segmented)
pinyin_text = lru_cache(maxsize=50_000)(analysis.pinyin_text)
initials_tokens = lru_cache(maxsize=50_000)(analysis.initials_tokens)


def document_id(kind, entity_id):
    return f"{kind}-{entity_id}"


def title_actions(title):
    """The actions (search.understanding.INTENT_MARKERS) a title names, decided once at index time:
    a marker counts where a phrase query on the standard-analysed title would find it, i.e. as
    consecutive characters once spaces and punctuation are left out."""
    text = "".join(character for character in normalize(title) if character.isalnum())
    return [intent for intent, markers in INTENT_MARKERS.items() if any(marker in text for marker in markers)]


def title_hash(key):
    """A 64-bit number for a title key: distinct titles are counted on it (a number is hashed in
    place, a keyword's ordinals must first be looked up as text)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def facet_values(record):
    values = []
    for facet in FACETS:
        value = record.get(facet)
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None and item != "":
                values.append(f"{facet}{FACET_SEPARATOR}{item}")
    return values


def build_document(record):
    """record: {"kind", "entity_id", "title", "aliases": [...], "body", ...PLAIN_FIELDS}."""
    title = record["title"]
    title_key = normalize(title)
    aliases = [alias for alias in dict.fromkeys(record.get("aliases") or []) if alias and alias != title]
    body = (record.get("body") or "")[:BODY_LIMIT]
    names = [title, *aliases]
    document = {field: record[field] for field in PLAIN_FIELDS if record.get(field) is not None}
    initials = []
    for name in names:
        initials.extend(token for token in initials_tokens(name) if token not in initials)
    pinyins = [pinyin_text(name) for name in names]
    document.update({
        "entity_id": str(record["entity_id"]),
        "title": title,
        "title_key": title_key,
        "title_hash": title_hash(title_key),
        "title_actions": title_actions(title),
        "title_words": segmented(title),
        "aliases": aliases,
        "alias_words": [segmented(alias) for alias in aliases],
        "body": body,
        "body_words": segmented(body),
        "department_words": segmented(record.get("department") or ""),
        "pinyin": pinyins,
        "initials": " ".join(initials),
        "suggest": {
            "input": [*names, *(pinyin.replace(" ", "") for pinyin in pinyins if pinyin)],
            "weight": 1 + min(int(record.get("popularity") or 0), SUGGEST_WEIGHT_CAP),
        },
    })
    if record.get("kind") == "matter":
        document["facet_values"] = facet_values(record)
    return document


def baseline_document(record):
    """The same record for the baseline index: raw title and content, nothing else."""
    return {
        "title": record["title"],
        "content": record.get("body") or "",
        "title_key": normalize(record["title"]),
    }
