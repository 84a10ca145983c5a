"""Synonym groups: words people use for the same thing. Stored by the portal (administrators
edit them); expanded at query time here, because the server has no synonym filter."""

from pathlib import Path

from search.analysis import normalize
from search.datasets import alias_pairs

SEED_FILE = Path(__file__).parent / "data" / "synonyms.tsv"
MAX_TERM_LENGTH = 50


def parse_terms(text):
    """'驾照, 驾驶证，机动车驾驶证' → ['驾照', '驾驶证', '机动车驾驶证'] (normalised, distinct): terms separated by
    commas (, or ，), 、, | or new lines. The one parser of term lists (synonym groups, the lexicon's terms)."""
    text = text or ""
    for separator in ("，", "、", "|", "\n"):
        text = text.replace(separator, ",")
    terms = [normalize(term) for term in text.split(",")]
    return list(dict.fromkeys(term for term in terms if term))


def seed_groups(data_dir):
    """The curated everyday-word groups plus each (short name, official name) pair of the data."""
    groups = []
    for line in SEED_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            groups.append(parse_terms(line))
    groups += [parse_terms(f"{short},{official}") for short, official in alias_pairs(data_dir)]
    return [group for group in groups if len(group) > 1]


def table_from_groups(groups):
    """term → the other terms of every group it is in, longest terms first (the order in which
    queries.synonym_variants tries them)."""
    table = {}
    for terms in groups:
        for term in terms:
            others = table.setdefault(term, [])
            others += [other for other in terms if other != term and other not in others]
    return {term: table[term] for term in sorted(table, key=len, reverse=True)}
