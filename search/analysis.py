"""Chinese text analysis done in Python, because the server has no Chinese analysis of its own.

The Elasticsearch distribution we run carries only core analysis (standard tokenizer, shingle,
lowercase, the prebuilt whitespace analyzer): no smartcn/ik/pinyin plugins and no ngram or
synonym filters. So documents and queries are segmented here with rjieba (jieba-rs, about
17 MB/s) and indexed as whitespace-joined words, pinyin syllables and pinyin initials; the
server adds character bigrams (standard tokenizer + shingle) for partial and typo matches.
"""

import re
import unicodedata
from functools import lru_cache

import rjieba
from pypinyin import lazy_pinyin
from pypinyin.contrib.tone_convert import to_normal
from pypinyin.pinyin_dict import pinyin_dict

# Characters that are never part of a searchable word.
_SEPARATORS = re.compile(r"[\s\W_]+", re.UNICODE)
# Control and invisible format characters (NUL, zero-width space …) never belong in a search.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_QUERY = re.compile(r"^[a-z\s']+$")
# Words that carry no meaning in a query ("了", "的", "去", "怎么") are dropped from the
# required part of the query, never from the index.
QUERY_STOP_WORDS = frozenset(
    "的 了 吗 呢 啊 吧 呀 去 要 想 我 我们 你 怎么 怎样 如何 哪里 在哪 在哪里 什么 办理 需要 可以 能 "
    "一下 一个 请问 没有 没 是 有 和 与 及 或 在 给 把 被 让 对 从 到 为 就 都 还 也 又 再 能否 "
    "多久 多少 几天 流程 手续".split()
)


def normalize(text):
    """NFKC (full-width → half-width), lower case, no control characters, collapsed spaces."""
    text = unicodedata.normalize("NFKC", _CONTROL.sub(" ", text or "")).lower()
    return " ".join(text.split())


def words(text):
    """Search words of a text: jieba's search-mode cut (long words plus the words inside them)."""
    result = []
    for word in rjieba.cut_for_search(normalize(text)):
        word = _SEPARATORS.sub("", word)
        if word:
            result.append(word)
    return result


def segmented(text):
    """The text as whitespace-joined search words, ready for the whitespace analyzer."""
    return " ".join(words(text))


def query_words(text):
    """Words of a query without the filler words people type around what they need."""
    return [word for word in words(text) if word not in QUERY_STOP_WORDS]


@lru_cache(maxsize=200_000)
def _word_pinyin(word):
    # Per-word (not per-character) so jieba's segmentation picks the right reading of 重/行/长.
    return tuple(syllable for syllable in lazy_pinyin(word, errors="ignore") if syllable.isalpha())


def pinyin_syllables(text):
    """Toneless pinyin of every Han character, in order (letters and digits are skipped)."""
    syllables = []
    for word in rjieba.cut(normalize(text)):
        if _HAN.search(word):
            syllables.extend(_word_pinyin(word))
    return syllables


def pinyin_text(text):
    return " ".join(pinyin_syllables(text))


def initials_tokens(text):
    """Initials of every word and of the whole text: 营业执照办理 → "yyzz bl yyzzbl" so that both
    the initials of a word people know (yyzz) and of a whole name match."""
    per_word, whole = [], []
    for word in rjieba.cut(normalize(text)):
        if not _HAN.search(word):
            continue
        letters = "".join(syllable[0] for syllable in _word_pinyin(word))
        if letters:
            per_word.append(letters)
            whole.append(letters)
    tokens = list(dict.fromkeys(per_word))
    joined = "".join(whole)
    if joined and joined not in tokens:
        tokens.append(joined)
    return tokens


@lru_cache(maxsize=1)
def _syllable_set():
    # About 1,500 distinct readings among the dictionary's 40,000 characters: each converted once
    # (converting every character's readings took seconds, on each process's first pinyin query).
    readings = {reading for values in pinyin_dict.values() for reading in values.split(",")}
    syllables = {to_normal(reading) for reading in readings}
    syllables.discard("")
    return frozenset(syllable for syllable in syllables if syllable.isascii() and syllable.isalpha())


_LONGEST_SYLLABLE = 6


def split_pinyin(text):
    """Split typed pinyin into syllables ("qiyetouzi beian" → qi ye tou zi bei an), or None when
    the letters are not pinyin. Prefers fewer, longer syllables (xian, not xi an)."""
    text = normalize(text).replace("'", " ")
    if not text or not _LATIN_QUERY.match(text):
        return None
    valid = _syllable_set()
    result = []
    for chunk in text.split():
        # best[i] = shortest split of chunk[:i]
        best = [None] * (len(chunk) + 1)
        best[0] = []
        for end in range(1, len(chunk) + 1):
            for start in range(max(0, end - _LONGEST_SYLLABLE), end):
                if best[start] is not None and chunk[start:end] in valid:
                    candidate = best[start] + [chunk[start:end]]
                    if best[end] is None or len(candidate) < len(best[end]):
                        best[end] = candidate
        if best[-1] is None:
            return None
        result.extend(best[-1])
    return result


def is_latin_query(text):
    return bool(_LATIN_QUERY.match(normalize(text)))


def has_han(text):
    return bool(_HAN.search(text or ""))
