"""What documents carry so that searches stay cheap: the actions a title names, a number per title
for counting distinct titles, and a matter's facets in one field."""

import pytest

from search.documents import build_document, facet_values, title_actions, title_hash
from search.understanding import INTENT_MARKERS

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("title", "actions"), [
    ("营业执照遗失补领", ["replace"]),
    ("机动车驾驶证期满换证", ["renew"]),
    ("律师协会基本信息查询", ["query"]),
    ("社会保障卡补 领", ["replace"]),  # a space inside: the phrase query on the title still finds it
    ("个体工商户注销（变更）登记", ["change", "cancel"]),
    ("失业登记", []),
])
def test_title_actions_are_the_intents_whose_markers_the_title_carries(title, actions):
    assert title_actions(title) == actions
    assert set(actions) <= set(INTENT_MARKERS)


def test_equal_titles_share_a_hash_and_others_do_not():
    assert title_hash("失业登记") == title_hash("失业登记")
    assert title_hash("失业登记") != title_hash("失业保险金申领")
    assert -2**63 <= title_hash("失业登记") < 2**63  # fits Elasticsearch's long


def test_facet_values_hold_every_facet_of_a_matter_and_only_of_a_matter():
    record = {"kind": "matter", "entity_id": 1, "title": "失业登记", "department": "市人力资源和社会保障局",
              "matter_type": "公共服务", "audiences": ["自然人", "法人"], "themes": [], "online_depth": 4,
              "level": "市"}
    assert facet_values(record) == ["department:市人力资源和社会保障局", "matter_type:公共服务", "audiences:自然人",
                                    "audiences:法人", "online_depth:4", "level:市"]
    assert build_document(record)["facet_values"] == facet_values(record)
    assert "facet_values" not in build_document({**record, "kind": "answer"})
    assert build_document(record)["title_hash"] == title_hash("失业登记")
