"""Python-side Chinese analysis, synonym expansion and the evaluation metrics (no servers)."""

import pytest

from search import analysis
from search.queries import SearchParams, clean_query, synonym_variants
from search.synonyms import parse_terms, table_from_groups

pytestmark = pytest.mark.unit


def test_typed_pinyin_is_split_into_syllables():
    assert analysis.split_pinyin("shiye dengji") == ["shi", "ye", "deng", "ji"]
    assert analysis.split_pinyin("qiyetouzi beian") == ["qi", "ye", "tou", "zi", "bei", "an"]
    assert analysis.split_pinyin("xian") == ["xian"]  # fewer, longer syllables
    assert analysis.split_pinyin("yyzz") is None  # not pinyin: initials
    assert analysis.split_pinyin("驾照") is None


def test_pinyin_reads_words_in_context():
    assert analysis.pinyin_text("重庆银行") == "chong qing yin hang"
    assert analysis.pinyin_text("ABC 123") == ""


def test_initials_of_words_and_whole_names():
    assert analysis.initials_tokens("营业执照办理") == ["yyzz", "bl", "yyzzbl"]


def test_query_words_drop_filler_but_keep_meaning():
    assert analysis.query_words("失业了去登记") == ["失业", "登记"]
    assert "驾驶证" in analysis.words("机动车驾驶证")


def test_normalising_full_width_and_long_queries():
    assert analysis.normalize("ＹＹＺＺ  驾照") == "yyzz 驾照"
    assert len(clean_query("驾" * 1000)) == 100


def test_synonym_groups_expand_queries_both_ways():
    table = table_from_groups([parse_terms("驾照，驾驶证、机动车驾驶证"), parse_terms("户口本,户口簿")])
    assert table["驾照"] == ["驾驶证", "机动车驾驶证"]
    assert "驾照" in table["驾驶证"]
    variants = synonym_variants("驾照增加车型", table)
    assert "驾驶证增加车型" in variants
    # never inside a word: 社保 is a term, 社保卡 is not rewritten into 社会保险卡
    assert synonym_variants("社保卡挂失", table_from_groups([["社保", "社会保险"]])) == []
    assert synonym_variants("交社保", table_from_groups([["社保", "社会保险"]])) == ["交社会保险"]
    assert synonym_variants("失业登记", table) == []


def test_components_can_be_switched_off():
    params = SearchParams(q="x", disabled=frozenset({"pinyin"}))
    assert not params.enabled("pinyin") and params.enabled("words")
