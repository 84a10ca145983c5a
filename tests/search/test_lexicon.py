"""The colloquial lexicon: matching on whole words, pinyin and initials of its terms, seeding with
provenance, the administrators' screen (audited), and its effect on searches."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, LexiconEntry
from portal.site_search.service import find, make_params, search_settings_changed
from search import lexicon, understanding
from search.lexicon import Lexicon, aligned_spans, expand, latin_terms


@pytest.mark.unit
def test_terms_apply_to_whole_words_only_and_add_alternatives():
    table = {"社保卡": ["社会保障卡"], "社保": ["社会保险"], "卖烟": ["烟草专卖零售许可证"]}
    words = ["小卖部", "卖", "烟"]
    assert aligned_spans(words, table) == [(1, 3, "卖烟")]
    assert expand(words, table) == [["小卖部", "烟草专卖零售许可证"]]
    assert expand(["社保卡", "挂失"], table) == [["社会保障卡", "挂失"]]  # never 社会保险卡
    assert expand(["失业", "登记"], table) == []
    # a word the lexicon does not know, made of a term and a kind of place (场, 店, 房 …), reads as the term
    farm = {"养牛": ["畜禽养殖"], "注册": ["设立登记"]}
    assert aligned_spans(["回", "养牛场"], farm) == [(1, 2, "养牛")]
    assert expand(["养牛场"], farm) == [["畜禽养殖"]]
    assert expand(["注册建造师"], farm) == []  # the rest is not a kind head
    assert expand(["社保卡"], {"社保": ["社会保险"]}) == []  # nor is a card or certificate


@pytest.mark.unit
def test_pinyin_and_initials_of_colloquial_terms():
    built = Lexicon({"社保卡": ["社会保障卡"], "低保": ["最低生活保障"], "结婚登记": ["婚姻登记"]})
    assert latin_terms("shebaoka guashi", built) == ["社保卡"]
    assert latin_terms("shebaoka", built) == ["社保卡"]
    assert latin_terms("jhdj", built) == ["结婚登记"]
    assert latin_terms("dbsq", built) == ["低保"]  # the term, then 申请's initials
    assert latin_terms("db", built) == []  # two letters say too little
    assert latin_terms("社保卡", built) == []
    # initials of an official term (all but its last word at most) before a term's head and an action
    official = Lexicon({"关公司": ["公司注销登记"], "工商": ["工商管理"]})
    assert latin_terms("gszx", official) == ["公司注销登记"]
    assert latin_terms("gs", official) == []


@pytest.mark.unit
def test_query_understanding_sets_aside_filler_actions_and_regions():
    understood = understanding.understand("我的社保卡丢了在哪里补办")
    assert understood.content == ["社保卡"] and understood.intent == "replace"
    assert understanding.understand("公司不做了怎么注销").intent == "cancel"
    assert understanding.understand("开个快餐店要办啥证").content == ["快餐店"]
    region = understanding.understand("广安申请低保")
    assert region.regions == ["广安"] and region.content == ["低保"]
    assert understanding.digits_for_numerals("满七十岁") == "满70岁"
    assert understanding.numerals_for_digits("3级运动员") == "三级运动员"
    assert understanding.understand("办理").content == []  # generic words only
    assessed = understanding.understand("残疾证等级怎么评定")  # 评定 is a service word like 认定
    assert assessed.content == ["残疾证", "等级"] and assessed.generic == ["评定"]


@pytest.mark.unit
def test_lexicon_terms_are_cut_as_words_of_the_query():
    table = {"社保卡": ["社会保障卡"], "改名字": ["户口变更"], "社保卡丢了": ["社会保障卡挂失"],
             "职业资格证": ["职业资格证书"]}
    # the default cut gives 社保 / 卡制卡: the term is kept whole, the rest of the word is a word
    assert understanding.understand("社保卡制卡进度查询", table).content[0] == "社保卡"
    # a term never leaves a single character of the word it cuts into (资格证书 stays whole)
    assert understanding.understand("考了职业资格证书有补贴吗", table).content == ["职业", "资格证书"]
    # an action word that is a term stays content, with its action
    renamed = understanding.understand("成年人改名字怎么办理", table)
    assert "改名字" in renamed.content and renamed.intent == "change"
    lost = understanding.understand("社保卡丢了", table)
    assert lost.content == ["社保卡丢了"] and lost.intent == "replace"
    assert understanding.understand("注销户口开证明", {"注销户口": ["户口注销"]}).intent == "cancel"
    # 要批: the service word without the modal; 谁 is a question word
    asked = understanding.understand("游泳池对外开放收费要批吗", {})
    assert "要批" not in asked.content and "批" in asked.generic
    assert understanding.understand("承包地纠纷找谁仲裁", {}).content == ["承包地", "纠纷", "仲裁"]
    # a modal before a filler word only makes a question (要交), as do the words of a message's narrative
    assert understanding.understand("医保要交多少年才能终身享受", {}).content == ["医保", "年", "终身"]
    assert understanding.understand("严重拥堵希望尽快办理", {}).content == ["拥堵"]
    # a transfer is an action of its own (not a change), and its direction stays content
    moved = understanding.understand("外省律师转入广东怎么申请", {})
    assert moved.intent == "transfer" and "转入" in moved.content
    assert understanding.understand("社保转移", {}).intent == "transfer"
    # a tense particle does not make a content word (考了 → the action 考)
    assert understanding.understand("考了驾照", {}).content == ["驾照"]


@pytest.mark.unit
def test_curated_lexicon_has_hundreds_of_entries_across_departments():
    entries = lexicon.curated_entries()
    assert len(entries) >= 300
    departments = {entry.note.split("/")[0] for entry in entries if entry.note}
    assert len(departments) >= 15


@pytest.mark.integration
def test_admin_edits_the_lexicon_with_audit(client, login, make_user):
    login(make_user("admin"))
    response = client.post("/admin/search/lexicon", data={"term": "开饭店", "officials": "食品经营许可，餐饮服务",
                                                         "note": "测试", "enabled": "y"})
    assert response.status_code == 302
    entry = db.session.scalar(select(LexiconEntry))
    assert (entry.term, entry.official_list, entry.source, entry.enabled) == ("开饭店", ["食品经营许可", "餐饮服务"],
                                                                               "admin", True)
    refused = client.post("/admin/search/lexicon", data={"term": "开饭店", "officials": "食品经营"})
    assert "已经在词表中" in refused.get_data(as_text=True)
    page = client.get("/admin/search/lexicon?q=饭店").get_data(as_text=True)
    assert "食品经营许可，餐饮服务" in page
    client.post(f"/admin/search/lexicon/{entry.id}", data={"term": "开饭店", "officials": "食品经营许可"})
    assert db.session.get(LexiconEntry, entry.id).enabled is False  # unchecked box
    client.post(f"/admin/search/lexicon/{entry.id}/delete")
    assert db.session.scalar(select(LexiconEntry)) is None
    actions = [row.action for row in db.session.scalars(select(AuditLog).where(AuditLog.entity_type == "lexicon"))]
    assert actions == ["create", "update", "delete"]
    login(make_user("editor"))
    assert client.get("/admin/search/lexicon").status_code == 403


@pytest.mark.integration
def test_seeding_keeps_provenance_and_adds_nothing_twice(app):
    from portal.site_search.admin.lexicon import seed

    added = seed(app.config["SHARED_DATA_DIR"], with_hotline=False)
    assert added["curated"] >= 300 and added["alias"] >= 50
    assert seed(app.config["SHARED_DATA_DIR"], with_hotline=False) == {}
    entry = db.session.scalar(select(LexiconEntry).where(LexiconEntry.term == "社保卡"))
    assert entry.source == "curated" and "社会保障卡" in entry.official_list


@pytest.mark.integration
def test_a_lexicon_entry_finds_the_official_name(search_index, app):
    def titles(query):
        return [hit.title for hit in find(make_params(query, kind="matter"), log=False).hits]

    assert "失业保险金申领" not in titles("领救济金")[:1]
    db.session.add(LexiconEntry(term="救济金", officials="失业保险金", source="admin"))
    db.session.commit()
    search_settings_changed()
    assert titles("领救济金")[0] == "失业保险金申领"
    assert titles("jiujijin")[0] == "失业保险金申领"  # the colloquial term's pinyin
    db.session.query(LexiconEntry).update({"enabled": False})
    db.session.commit()
    search_settings_changed()
    assert "失业保险金申领" not in titles("领救济金")[:1]


@pytest.mark.unit
def test_did_you_mean_corrects_homophones_from_the_lexicon_vocabulary():
    from search.queries import SearchParams, lexicon_did_you_mean

    params = SearchParams(q="居注证办理", lexicon={"暂住证": ["居住证办理"], "居住证": ["居住证办理"]})
    assert lexicon_did_you_mean("居注证办理", params) == "居住证办理"
    assert lexicon_did_you_mean("居住证办理", params) is None
    assert lexicon_did_you_mean("juzhuzheng", params) is None


@pytest.mark.integration
def test_suggestions_offer_colloquial_terms_and_follow_the_generation(search_index, client):
    hx = {"HX-Request": "true"}
    assert "救济金" not in client.get("/search/suggest?q=救济", headers=hx).get_data(as_text=True)
    db.session.add(LexiconEntry(term="救济金", officials="失业保险金", source="admin"))
    db.session.commit()
    search_settings_changed()  # the cached suggestions of the old generation are not served again
    fragment = client.get("/search/suggest?q=救济", headers=hx).get_data(as_text=True)
    assert "救济金" in fragment and "失业保险金" in fragment
    assert "救济金" in client.get("/search/suggest?q=jiuji", headers=hx).get_data(as_text=True)


@pytest.mark.unit
def test_a_transfer_is_favoured_when_asked_and_never_held_against_a_name():
    from search.documents import title_actions
    from search.queries import INTENT_BOOST, _intent_functions

    def weights(query):
        return {f["filter"]["term"]["title_actions"]: f["weight"]
                for f in _intent_functions(understanding.understand(query, {}))}

    assert weights("养老保险转移")["transfer"] == INTENT_BOOST
    assert "transfer" not in weights("户口补办")  # another action asked: 户口迁移审批 keeps its weight
    assert weights("户口补办")["replace"] == INTENT_BOOST
    assert title_actions("户口迁移审批") == ["transfer"]


@pytest.mark.unit
def test_homophone_typos_are_matched_as_corrected_wordings_too():
    table = {"社保卡挂失": ["社会保障卡挂失"], "居住证": ["居住证办理"], "信访": ["信访事项提出"]}
    assert understanding.understand("社保卡挂湿", table).variants[:2] == ["社保卡挂失", "社会保障卡挂失"]
    assert understanding.understand("居注证办理", table).variants == ["居住证", "居住证办理"]
    # a word that only sounds like a term is another word, not a typo (新房 is not 信访)
    assert understanding.understand("新房装天然气", table).variants == []
    assert lexicon.correction(["新房"], Lexicon(table)) is None
