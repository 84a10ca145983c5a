"""The masking measured on hand-labelled hotline sentences (rules in data/MASKING_LABELS.md)."""

import pytest

from portal.knowledge.masking import find_personal_data, mask_personal_data
from portal.knowledge.masking_eval import evaluate, load_labels

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def labels():
    return load_labels()


def test_at_least_300_sentences_of_the_real_data_are_labelled(labels):
    data = [row for row in labels if row["source"] != "constructed"]
    assert len(data) >= 300
    assert len({row["text"] for row in data}) == len(data)
    for row in labels:
        for entity in row["entities"]:
            assert entity["text"] in row["text"], row["source"]


def test_recall_on_the_hotline_sentences(labels):
    scores = evaluate(labels, "data")
    assert scores["name"].labelled >= 100 and scores["name"].recall >= 0.98, scores["name"].misses
    assert scores["phone"].recall == 1.0, scores["phone"].misses
    assert scores["address"].recall >= 0.95, scores["address"].misses
    assert scores["name"].precision >= 0.7 and scores["phone"].precision >= 0.9


def test_recall_on_the_constructed_sentences(labels):
    scores = evaluate(labels, "constructed")
    for kind in ("id", "phone", "plate", "bank"):
        assert scores[kind].recall == 1.0, (kind, scores[kind].misses)


@pytest.mark.parametrize(("text", "masked"), [
    # /answers showed these: names in a list after the first one, and names without a cue word.
    ("其户籍人口为4人：吴根福本人和儿子吴辉雄、孙女吴勤。", "其户籍人口为4人：吴某本人和儿子吴某、孙女吴某。"),
    ("举报人：余中华、王才茂、张庆国", "举报人：余某、王某、张某"),
    ("黄尊富以及其父黄刚明多次反映", "黄某以及其父黄某多次反映"),
    ("尊敬的胡华衡书记：您好", "尊敬的胡华衡书记：您好"),
    ("经时任县长李富光批示同意", "经时任县长李富光批示同意"),
    ("车牌号湘A12345的小车", "车牌号湘A*****的小车"),
    ("卡号6222021001112223334", "卡号***************3334"),
    ("家住汇金路777号华天小区3栋2单元501室", "家住汇金路***号华天小区*栋*单元***室"),
    ("根据〔2016〕160号文件", "根据〔2016〕160号文件"),
])
def test_masking_examples(text, masked):
    assert mask_personal_data(text) == masked


def test_findings_do_not_overlap():
    text = "联系人：欧阳建华，电话18673101234，身份证430102199001011234，住12组45号"
    findings = find_personal_data(text)
    assert {finding.kind for finding in findings} == {"name", "phone", "id", "address"}
    for first, second in zip(findings, findings[1:], strict=False):
        assert first.end <= second.start
