"""The colloquial lexicon: what people call a service (俗称) → the official terms matter names use.

Entries are data: the portal keeps them in a table administrators edit, seeded with provenance
from three sources (see `seed_entries`):

* ``alias``: the short names of the Guangdong data (``alias_pairs_short_name.tsv``);
* ``curated``: ``search/data/lexicon.tsv``, everyday words across every department;
* ``hotline``: terms mined from the citizens' questions in ``hotline/`` against the official
  wording of the replies and the matter names (`mine_hotline_terms`).

At query time an entry applies only where its term covers whole words of the query (jieba's
cut), and it adds an alternative wording beside the original words: 社保卡坏了 gains
社会保障卡 …, but 注册 never rewrites the inside of 注册建造师. Typed pinyin and initials of an
entry's term (shebaoka, sbk) find the entry too.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from search import analysis
from search.analysis import normalize
from search.datasets import alias_pairs
from search.synonyms import parse_terms

SEED_FILE = Path(__file__).parent / "data" / "lexicon.tsv"
SOURCES = ("curated", "alias", "hotline", "admin")
MAX_TERM_LENGTH = 30
MAX_VARIANTS = 6


@dataclass(frozen=True)
class Entry:
    term: str
    officials: tuple
    source: str = "curated"
    note: str = ""


def curated_entries(path=SEED_FILE):
    entries = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        officials = parse_terms(parts[1] if len(parts) > 1 else "")
        for term in parse_terms(parts[0]):
            if officials:
                entries.append(Entry(term, tuple(o for o in officials if o != term), "curated",
                                     parts[2].strip() if len(parts) > 2 else ""))
    return [entry for entry in entries if entry.officials]


def alias_entries(data_dir):
    entries = []
    for short, official in alias_pairs(data_dir):
        short, official = normalize(short), normalize(official)
        if 2 <= len(short) <= MAX_TERM_LENGTH and short != official:
            entries.append(Entry(short, (official,), "alias", "alias_pairs_short_name.tsv"))
    return entries


def official_vocabulary(records):
    """The words of the matters' names (jieba's search-mode words of every title)."""
    vocabulary = set()
    for record in records:
        vocabulary.update(analysis.words(record["title"]))
    return vocabulary


def mine_hotline_terms(data_dir, official_vocabulary, min_count=4, min_share=0.3, min_lift=8.0, min_back=0.15,
                       limit=150):
    """Colloquial terms from the hotline: a word citizens use in their questions that the matter
    names never use, paired with a word of the matters' names that the official replies to those
    questions use far more often than replies in general (lift ≥ min_lift), in at least
    `min_count` cases, in at least `min_share` of the replies to questions with the word, and in
    at least `min_back` of the replies using the official word. The pairs are candidates:
    they are seeded switched off, for administrators to review.
    Returns Entry rows (source "hotline", the note says in how many cases)."""
    from search.understanding import FILLER, GENERIC

    path = Path(data_dir) / "hotline" / "hotline_qa.jsonl"
    if not path.exists():
        return []
    pairs, question_count, reply_count, cases = Counter(), Counter(), Counter(), 0

    def han_words(text, vocabulary_only):
        result = set()
        for word in analysis.words(text):
            if (len(word) >= 2 and _HAN_ONLY.fullmatch(word) and word not in FILLER and word not in GENERIC
                    and (word in official_vocabulary) == vocabulary_only):
                result.add(word)
        return result

    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        cases += 1
        colloquial = han_words(f"{row.get('title', '')} {row.get('question', '')}"[:400], vocabulary_only=False)
        official = han_words((row.get("answer") or "")[:1500], vocabulary_only=True)
        question_count.update(colloquial)
        reply_count.update(official)
        for word in colloquial:
            for other in official:
                pairs[(word, other)] += 1
    scored = []
    for (word, other), count in pairs.items():
        if count < min_count:
            continue
        share = count / question_count[word]
        lift = share / (reply_count[other] / cases)
        # ... and the official word is specific to those questions too (not a word of every reply)
        if share >= min_share and lift >= min_lift and count / reply_count[other] >= min_back:
            scored.append((count * lift, word, other, count))
    entries, used = [], set()
    for _, word, other, count in sorted(scored, reverse=True):
        if word in used or len(entries) >= limit:
            continue
        used.add(word)
        entries.append(Entry(word, (other,), "hotline", f"12345 来信 {count} 件的答复用语"))
    return entries


_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def seed_entries(data_dir):
    """Curated entries first, then the data's short names (a term keeps its first entry's source)."""
    merged = {}
    for entry in [*curated_entries(), *alias_entries(data_dir)]:
        if entry.term in merged:
            existing = merged[entry.term]
            officials = tuple(dict.fromkeys([*existing.officials, *entry.officials]))
            merged[entry.term] = Entry(existing.term, officials, existing.source, existing.note)
        else:
            merged[entry.term] = entry
    return list(merged.values())


def table_from_entries(entries):
    """term → official terms, longest terms first."""
    table = {}
    for entry in entries:
        officials = table.setdefault(entry.term, [])
        officials += [official for official in entry.officials if official not in officials and official != entry.term]
    return {term: table[term] for term in sorted(table, key=len, reverse=True) if table[term]}


def default_table(data_dir):
    return table_from_entries(seed_entries(data_dir))


class Lexicon:
    """A term table with its pinyin and initials lookups, built once per table."""

    def __init__(self, table):
        self.table = table
        self.by_pinyin = {}
        self.by_initials = {}
        # Every term and official term by its sound, for did-you-mean (居注证 → 居住证).
        self.by_sound = {}
        for word in [*table, *(official for officials in table.values() for official in officials)]:
            if analysis.has_han(word) and 2 <= len(word) <= 8:
                self.by_sound.setdefault(tuple(analysis.pinyin_syllables(word)), word)
        self.completions = []  # (term, joined pinyin, initials), shortest terms first
        for term in table:
            if not analysis.has_han(term) or len(term) > 8:
                continue
            syllables = tuple(analysis.pinyin_syllables(term))
            if len(syllables) >= 2:
                self.by_pinyin.setdefault(syllables, term)
                self.by_initials.setdefault("".join(syllable[0] for syllable in syllables), []).append(term)
                self.completions.append((term, "".join(syllables), "".join(syllable[0] for syllable in syllables)))
        self.completions.sort(key=lambda row: (len(row[0]), row[0]))
        # Official terms by their initials, for initials typed past a term (gszx: 公司注销登记).
        self.official_initials = []
        for official in dict.fromkeys(official for officials in table.values() for official in officials):
            if analysis.has_han(official) and 3 <= len(official) <= 12:
                syllables = analysis.pinyin_syllables(official)
                self.official_initials.append(("".join(syllable[0] for syllable in syllables), official))

    def complete(self, prefix, limit=3):
        """Colloquial terms that start with the typed text, its pinyin or its initials."""
        prefix = normalize(prefix).replace(" ", "")
        if not prefix:
            return []
        latin = analysis.is_latin_query(prefix)
        if latin and len(prefix) < 2:
            return []
        found = []
        for term, pinyin, initials in self.completions:
            if (term.startswith(prefix) and term != prefix) if not latin else (
                    pinyin.startswith(prefix) or (len(prefix) >= 3 and initials == prefix)):
                found.append(term)
                if len(found) >= limit:
                    break
        return found


# Initials of the action and service words people add after a term: dbsq = 低保 + 申请.
TAIL_INITIALS = frozenset("sq bl dj bb bz bf zx bg cx hf hz xb sl ba rd sp".split())
MAX_INITIALS_TERMS = 3


_built = {}


def lexicon_for(table):
    """The Lexicon of a table dict (cached while the same dict object is in use)."""
    key = id(table)
    cached = _built.get(key)
    if cached is None or cached[0] is not table:
        if len(_built) > 16:
            _built.clear()
        cached = _built[key] = (table, Lexicon(table))
    return cached[1]


# One-character heads that only say what kind of place a known term is about: 养牛场 is 养牛 + 场,
# 廉租房 廉租 + 房, 烧烤摊 烧烤 + 摊. A word unknown to the table that is a term plus one of these is
# read as that term. Cards, certificates and payments are not heads (社保卡 is not 社保 + 卡, 公积金
# not 公积 + 金), and a term never rewrites inside words such as 注册建造师.
KIND_HEADS = frozenset("场厂店铺馆院所站点房户摊坊园")


def term_of_word(word, table):
    """The term a single word stands for: the word itself, or a term plus a kind head (养牛场 → 养牛)."""
    if word in table:
        return word
    if len(word) >= 3 and word[-1] in KIND_HEADS and word[:-1] in table:
        return word[:-1]
    return None


def aligned_spans(words, table, max_words=4):
    """(start, end, term) for each run of whole words whose concatenation is a term of the table
    (or, for one word, a term plus a kind head: see term_of_word); longer runs first, no overlaps."""
    spans, taken = [], set()
    for length in range(min(max_words, len(words)), 0, -1):
        for start in range(len(words) - length + 1):
            positions = set(range(start, start + length))
            if positions & taken:
                continue
            joined = "".join(words[start:start + length])
            term = joined if joined in table else (term_of_word(joined, table) if length == 1 else None)
            if term:
                spans.append((start, start + length, term))
                taken |= positions
    return sorted(spans)


def expand(words, table, limit=MAX_VARIANTS):
    """Alternative wordings (lists of words) with each known term replaced by an official term:
    each replacement alone, then all first choices together."""
    spans = aligned_spans(words, table)
    variants = []

    def add(variant):
        if variant != words and variant not in variants and len(variants) < limit:
            variants.append(variant)

    if len(spans) > 1:
        combined = list(words)
        for start, end, term in reversed(spans):
            combined[start:end] = [table[term][0]]
        add(combined)
    for start, end, term in spans:
        for official in table[term]:
            add([*words[:start], official, *words[end:]])
    return variants


@lru_cache(maxsize=4096)
def _split(text):
    return analysis.split_pinyin(text)


def latin_terms(query, lexicon):
    """Terms of the lexicon a pinyin or initials query spells as a whole: 'shebaoka guashi' →
    ['社保卡'] (each typed chunk is a term or a common word), 'dbsq' → ['低保'] (a term's initials,
    possibly followed by a common action word's initials: 申请)."""
    text = normalize(query)
    if not text or not analysis.is_latin_query(text):
        return []
    found = []
    for chunk in text.split():
        syllables = _split(chunk)
        if syllables and len(syllables) >= 2:
            term = lexicon.by_pinyin.get(tuple(syllables))
            if term is None and len(syllables) > 2:
                # the term, then a common two-syllable word (shebaoka + guashi typed together)
                term = lexicon.by_pinyin.get(tuple(syllables[:-2]))
            if term and term not in found:
                found.append(term)
    if found or " " in text:
        return found
    letters = text
    candidates = list(lexicon.by_initials.get(letters, []))
    if not candidates and len(letters) >= 4:
        # the initials of an official term, all but its last word at most (gszx: 公司注销登记), before
        # a term's head with an action's initials (gs + zx)
        candidates = sorted((official for initials, official in lexicon.official_initials
                             if initials.startswith(letters) and len(initials) - len(letters) <= 2),
                            key=len)[:MAX_INITIALS_TERMS]
    if not candidates and len(letters) >= 4 and letters[-2:] in TAIL_INITIALS:
        candidates = list(lexicon.by_initials.get(letters[:-2], []))
    return candidates[:MAX_INITIALS_TERMS] if len(letters) >= 3 else []


def correction(words, lexicon):
    """(wrong word, right word) for the first content word that sounds like a term or official
    term of the lexicon but is written differently (a homophone typo), else None."""
    for word in words:
        if len(word) < 2 or not analysis.has_han(word) or word in lexicon.table:
            continue
        right = lexicon.by_sound.get(tuple(analysis.pinyin_syllables(word)))
        # a typo keeps most of the word (居注证 → 居住证); a word sharing no more than its sound is
        # another word (新房 is not a misspelt 信访)
        if right and right != word and len(right) == len(word) and \
                2 * sum(a == b for a, b in zip(word, right, strict=True)) >= len(word):
            return word, right
    return None
