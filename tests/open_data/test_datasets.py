"""Dataset downloads: every published matter and nothing else, the three formats, ETag/304, the
related tables, public fields only, aggregates without people, and the pages describing them."""

import csv
import io
import json
from datetime import timedelta

import pytest

from portal.beijing_time import week_of
from portal.extensions import db
from portal.models import QueryLog, utcnow
from portal.open_data import datasets

pytestmark = pytest.mark.integration


def _csv(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff"), "CSV starts with a BOM so Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def _jsonl(response):
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def test_matters_csv_has_every_published_matter_and_nothing_else(client, sample):
    response = client.get("/open/matters.csv")
    assert response.status_code == 200
    assert response.content_type.startswith("text/csv")
    assert 'filename="matters.csv"' in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert sorted(row["code"] for row in rows) == ["M-OPEN-1", "M-OPEN-2"]
    invoice = next(row for row in rows if row["code"] == "M-OPEN-1")
    assert invoice["name"] == "发票领用"
    assert invoice["type"] == "行政确认"
    assert invoice["department"] == "税务局"
    assert invoice["url"] == "http://localhost/matters/M-OPEN-1"
    assert invoice["platform_code"] == "P-TAX"
    assert json.loads(invoice["aliases"]) == ["领发票"]
    assert "steps" not in invoice  # nested lists are related tables in CSV


def test_csv_cells_that_look_like_formulas_are_text(client, sample):
    """Open data carries text people wrote: a spreadsheet must not run it (JSON keeps it as it is)."""
    sample["pension"].name = '=HYPERLINK("http://evil.example","点我")'
    sample["pension"].conditions = "-2+3+cmd|' /C calc'!A0"
    db.session.commit()

    rows = {row["code"]: row for row in _csv(client.get("/open/matters.csv"))}

    assert rows["M-OPEN-2"]["name"] == """'=HYPERLINK("http://evil.example","点我")"""
    assert rows["M-OPEN-2"]["conditions"].startswith("'-2+3")
    assert rows["M-OPEN-1"]["name"] == "发票领用"
    line = next(row for row in _jsonl(client.get("/open/matters.jsonl")) if row["code"] == "M-OPEN-2")
    assert line["name"].startswith("=HYPERLINK")


def test_matters_jsonl_and_json_nest_the_child_lists(client, sample):
    lines = _jsonl(client.get("/open/matters.jsonl"))
    assert [row["code"] for row in lines] == ["M-OPEN-1", "M-OPEN-2"]
    invoice = lines[0]
    assert {"code", "name", "type", "department", "url", "version"} <= set(invoice)
    assert [step["name"] for step in invoice["steps"]] == ["申请", "审核"]
    assert invoice["fees"] == [{"item": "工本费", "standard": "不收费", "basis": None, "reduction": None}]
    assert invoice["materials"][0]["name"] == "身份证"
    whole = client.get("/open/matters.json")
    assert whole.content_type.startswith("application/json")
    assert json.loads(whole.get_data(as_text=True)) == lines


def test_related_tables_link_rows_to_their_matter(client, sample):
    steps = _csv(client.get("/open/matter-steps.csv"))
    assert [(row["matter_code"], row["position"], row["name"]) for row in steps] == [
        ("M-OPEN-1", "1", "申请"), ("M-OPEN-1", "2", "审核")]
    materials = _jsonl(client.get("/open/matter-materials.jsonl"))
    assert {row["matter_code"] for row in materials} == {"M-OPEN-1", "M-OPEN-2"}  # drafts' materials left out


def test_etag_answers_304_until_the_data_changes(client, sample):
    first = client.get("/open/matters.csv")
    assert first.data
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/open/matters.csv", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert client.get("/open/matters.jsonl", headers={"If-None-Match": etag}).status_code == 200  # per format
    sample["pension"].name = "养老保险关系转移接续"
    db.session.commit()
    changed = client.get("/open/matters.csv", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_platforms_publish_public_fields_only(client, sample):
    rows = _jsonl(client.get("/open/platforms.jsonl"))
    assert rows == [{
        "code": "P-TAX", "name": "电子税务局", "department_code": sample["tax"].code, "department": "税务局",
        "base_url": "https://etax.example.gov.cn", "mobile_base_url": None, "sso_connected": True, "is_down": False,
        "downtime_message": None, "published_matters": 1,
    }]
    assert "etax-secret-client" not in client.get("/open/platforms.csv").get_data(as_text=True)


def test_departments_count_their_published_matters(client, sample):
    rows = {row["code"]: row for row in _csv(client.get("/open/departments.csv"))}
    assert rows[sample["tax"].code]["published_matters"] == "1"
    assert rows[sample["social"].code]["published_matters"] == "1"
    assert rows[sample["tax"].code]["phone"] == "12366"
    assert rows[sample["tax"].code]["url"] == f"http://localhost/dept/{sample['tax'].slug}/"


def test_answers_leave_out_drafts_and_internal_notes(client, sample):
    rows = _jsonl(client.get("/open/answers.jsonl"))
    assert [row["question"] for row in rows] == ["发票怎么领？"]
    assert rows[0]["matters"] == ["M-OPEN-1"]
    assert rows[0]["url"] == f"http://localhost/answers/{sample['answer'].id}"
    assert "内部备注" not in client.get("/open/answers.csv").get_data(as_text=True)


def test_ratings_are_counted_per_matter_and_month_without_people(client, sample, rate):
    november = utcnow().replace(year=2026, month=11, day=10, hour=3)
    for level in (5, 5, 4, 1):
        rate(sample["invoice"], level, november)
    rate(sample["invoice"], 1, november, counted=False)  # appeal upheld: not counted
    rate(sample["invoice"], 3, november.replace(month=10))
    rate(sample["draft"], 5, november)  # not a published matter
    rows = _jsonl(client.get("/open/ratings-monthly.jsonl"))
    assert rows == [
        {"matter_code": "M-OPEN-1", "matter_name": "发票领用", "department_code": sample["tax"].code,
         "month": "2026-10", "evaluations": 1, "very_satisfied": 0, "satisfied": 0, "basically_satisfied": 1,
         "dissatisfied": 0, "very_dissatisfied": 0, "satisfaction_rate": 100.0},
        {"matter_code": "M-OPEN-1", "matter_name": "发票领用", "department_code": sample["tax"].code,
         "month": "2026-11", "evaluations": 4, "very_satisfied": 2, "satisfied": 1, "basically_satisfied": 0,
         "dissatisfied": 0, "very_dissatisfied": 1, "satisfaction_rate": 75.0},
    ]


def test_search_statistics_suppress_rare_and_identifying_queries(client, app):
    last_week = utcnow() - timedelta(days=7)
    this_week = utcnow()
    logged = [("社保卡", 6, 3), ("公积金提取", 5, 0), ("罕见的词", 4, 0), ("13812345678", 9, 0),
              ("张三 身份证 370502199001011234", 7, 0), ("zhang@example.com", 8, 0)]
    for query, times, results in logged:
        db.session.add_all(QueryLog(at=last_week, query=query, results=results, page=1) for _ in range(times))
    # page 2 of a search is not another search
    db.session.add_all(QueryLog(at=last_week, query="社保卡", results=3, page=2) for _ in range(5))
    db.session.add_all(QueryLog(at=this_week, query="本周的词", results=1, page=1) for _ in range(9))  # week not over
    db.session.commit()
    rows = _jsonl(client.get("/open/search-weekly.jsonl"))
    assert [(row["list"], row["rank"], row["query"], row["searches"], row["zero_result_searches"]) for row in rows] == [
        ("top", 1, "社保卡", 6, 0), ("top", 2, "公积金提取", 5, 5), ("zero_result", 1, "公积金提取", 5, 5)]
    year, week, _day = week_of(last_week).isocalendar()
    assert {row["week"] for row in rows} == {f"{year}-W{week:02d}"}


@pytest.mark.parametrize("query", ["13812345678", "370502199001011234", "a@b.cn", "鲁A12345", "粤B·D12345",
                                   "这是一段很长很长的话，讲我家里的事情，还有我的邻居和我们小区物业的问题"])
def test_identifying_queries_are_never_published(query):
    assert not datasets.publishable_query(query)


@pytest.mark.parametrize("query", ["社保卡", "hukou", "营业执照 变更", "2024年 个税"])
def test_ordinary_queries_are_publishable(query):
    assert datasets.publishable_query(query)


def test_unknown_dataset_or_format_is_a_clear_404(client, sample):
    for path in ("/open/nothing.csv", "/open/matters.xlsx"):
        response = client.get(path)
        assert response.status_code == 404
        assert "数据集" in response.get_json()["error"]["message"]
    assert client.get("/open/nothing").status_code == 404


def test_dataset_pages_describe_fields_licence_time_and_rows(client, sample):
    index = client.get("/open/").get_data(as_text=True)
    assert "政务服务事项目录" in index and "好差评月度统计" in index
    assert "/open/matters.csv" in index
    page = client.get("/open/matters").get_data(as_text=True)
    assert "<dt>行数</dt><dd>2</dd>" in page
    assert "promised_time_limit_days" in page and "承诺办结时限（工作日）" in page
    assert "/open/licence" in page and "/open/matter-steps" in page
    assert "更新时间" in page
    licence = client.get("/open/licence").get_data(as_text=True)
    assert "CC BY 4.0" in licence and "429" in licence


def test_dcat_catalog_describes_every_dataset_and_distribution(client, sample):
    response = client.get("/open/catalog.jsonld")
    assert response.content_type.startswith("application/ld+json")
    catalog = response.get_json()
    assert catalog["@type"] == "dcat:Catalog"
    described = {item["dct:identifier"]: item for item in catalog["dcat:dataset"]}
    assert set(described) == set(datasets.registry())
    matters = described["matters"]
    assert matters["void:entities"] == 2
    assert matters["dct:license"] == {"@id": datasets.LICENCE_URL}
    assert {item["dct:format"] for item in matters["dcat:distribution"]} == {"CSV", "JSON", "JSON Lines"}
    for distribution in matters["dcat:distribution"]:
        url = distribution["dcat:downloadURL"]["@id"].removeprefix("http://localhost")
        assert client.get(url).status_code == 200
    assert catalog["dcat:service"][0]["dcat:endpointURL"]["@id"] == "http://localhost/open/changes"


def test_messages_publish_only_public_copies_of_replied_publishable_ones(client, sample):
    from portal.models import Message, MessageReply, utcnow

    def message(title, publishable, published, replies=()):
        row = Message(kind="咨询", title=f"{title}（原文 13812345678）", body="原文含电话 13812345678",
                      public_title=title, public_body="内容（电话已遮盖 138****5678）", publishable=publishable,
                      department_id=sample["tax"].id, category="税务", status="replied",
                      published_at=utcnow() if published else None, contact_phone="13812345678")
        row.replies = [MessageReply(body=body, public_body=body, unit_name="税务局", status=status)
                       for body, status in replies]
        db.session.add(row)
        db.session.commit()
        return row

    shown = message("发票怎么领", True, True, [("已答复：网上申领。", "approved"), ("未审核的答复", "in_review")])
    message("不同意公开的留言", False, True)
    message("还没答复的留言", True, False)
    rows = _jsonl(client.get("/open/messages.jsonl"))
    assert [row["title"] for row in rows] == ["发票怎么领"]
    assert [reply["body"] for reply in rows[0]["replies"]] == ["已答复：网上申领。"]
    assert rows[0]["url"] == f"http://localhost/messages/{shown.id}"
    text = client.get("/open/messages.csv").get_data(as_text=True)
    assert "13812345678" not in text and "未审核的答复" not in text
    assert client.get(f"/open/records/message/{shown.id}").get_json()["title"] == "发票怎么领"
