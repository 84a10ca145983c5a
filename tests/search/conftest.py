"""Search fixtures: a small index of matters, answers and articles (plain records, built once per
module), and helpers to publish database rows through the outbox."""

import pytest

from portal.extensions import search_client
from search.indexing import reindex

MATTERS = [
    # (entity id, title, aliases, department, type, audiences, themes, level, online depth, popularity)
    (1, "机动车驾驶证增加准驾车型", ["增驾"], "市公安局", "行政许可", ["自然人"], ["交通出行"], "市", 4, 5),
    (2, "机动车驾驶证期满换证", ["驾照到期换证"], "市公安局", "行政许可", ["自然人"], ["交通出行"], "市", 3, 50),
    (3, "失业登记", [], "市人力资源和社会保障局", "公共服务", ["自然人"], ["就业创业"], "市", 4, 0),
    (4, "失业保险金申领", ["领失业金"], "市人力资源和社会保障局", "行政给付", ["自然人"], ["社会保障"], "市", 4, 0),
    (5, "营业执照遗失补领", [], "市市场监督管理局", "行政许可", ["法人"], ["企业开办"], "市", 3, 0),
    (6, "企业投资项目备案", [], "区发展和改革局", "其他行政权力", ["法人"], ["投资审批"], "县", 2, 0),
    (7, "企业投资项目备案", [], "市发展和改革委员会", "其他行政权力", ["法人"], ["投资审批"], "市", 2, 0),
    (8, "户口页借出", ["户口本借出"], "市公安局", "公共服务", ["自然人"], ["户籍办理"], "市", 1, 0),
    (9, "高等学校教师资格认定", [], "省教育厅", "行政确认", ["自然人"], ["教育科研"], "省", 3, 0),
    (10, "律师协会基本信息查询", [], "省司法厅", "公共服务", ["自然人", "法人"], ["司法公证"], "省", 4, 0),
]


def matter_records():
    records = []
    for entity_id, title, aliases, department, kind, audiences, themes, level, depth, popularity in MATTERS:
        records.append({
            "kind": "matter", "entity_id": entity_id, "version": 1, "code": f"T-{entity_id:03d}",
            "url": f"/matters/T-{entity_id:03d}", "title": title, "aliases": aliases,
            "body": f"申请{title}需要提交身份证明和申请表。<b>注意</b>：按规定办理。", "department": department,
            "matter_type": kind, "audiences": audiences, "themes": themes, "level": level,
            "online_depth": depth, "popularity": popularity,
        })
    return records


ANSWERS = [{"kind": "answer", "entity_id": 1, "version": 1, "code": "1", "url": "/answers/1",
            "title": "驾驶证到期了怎么换证？", "aliases": ["驾照过期怎么办"],
            "body": "可在期满前九十日内申请换证。", "department": "市公安局"},
           {"kind": "answer", "entity_id": 2, "version": 1, "code": "2", "url": "/answers/2",
            "title": "失业保险金怎么领？", "aliases": [], "body": "符合条件的失业人员可以申请领取失业保险金。",
            "department": "市人力资源和社会保障局"}]
ARTICLES = [{"kind": "article", "entity_id": 1, "version": 1, "code": "notice", "url": "/dept/police/articles/notice",
             "title": "关于驾驶证业务办理时间调整的通知", "aliases": [], "body": "自下月起周六上午可办理驾驶证业务。",
             "department": "市公安局", "themes": ["通知公告"]}]


def index_records(elasticsearch, answers=ANSWERS):
    """The three kinds indexed from fixed records (no database rows needed to query them); the
    index prefix."""
    prefix = search_client.index_prefix
    reindex(elasticsearch, prefix, "matter", matter_records())
    reindex(elasticsearch, prefix, "answer", answers)
    reindex(elasticsearch, prefix, "article", ARTICLES)
    return prefix


@pytest.fixture(scope="module")
def search_index(app, elasticsearch):
    return index_records(elasticsearch)


@pytest.fixture
def searches_sent(monkeypatch):
    """The keyword arguments of every search the portal sends Elasticsearch (the real client still sends it)."""
    sent, real_search = [], search_client.es.search

    def counting(*args, **kwargs):
        sent.append(kwargs)
        return real_search(*args, **kwargs)

    monkeypatch.setattr(search_client.es, "search", counting)
    return sent
