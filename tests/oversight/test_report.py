"""The 僵尸/影子 report's rules on constructed data, the decisions tracked to completion, the exports."""

import csv
import io
import json
import zipfile
from datetime import date, datetime, timedelta

import pytest

from portal.extensions import db
from portal.models import LinkThrough, Matter, Platform, PlatformCheck
from portal.oversight import registry
from portal.oversight import report as platform_report

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 1, 4, 0)
OLD = NOW - timedelta(days=200)


def _platform(code, name, department=None, base_url=None, created_at=OLD, **fields):
    platform = Platform(code=code, name=name, department=department, base_url=base_url or f"https://{code}",
                        created_at=created_at, **fields)
    db.session.add(platform)
    return platform


def _matters(platform, department, names, status="published"):
    for number, name in enumerate(names):
        db.session.add(Matter(code=f"{platform.code}-{number}", name=f"{name}（{platform.code}）", base_name=name,
                              department=department, status=status, platform=platform))


def _checks(platform, start, count, ok, every=timedelta(days=1)):
    for number in range(count):
        db.session.add(PlatformCheck(platform=platform, checked_at=start + number * every, ok=ok))
    platform.failed_checks = 0 if ok else count
    if ok:
        platform.last_ok_at = start + (count - 1) * every


@pytest.fixture
def constructed(app, make_department):
    social, health, tax = make_department("市人社局"), make_department("市卫健委"), make_department("市税务局")
    p = {}
    # zombies
    p["empty"] = _platform("empty.example", "空壳系统", social)
    _matters(p["empty"], social, ["草稿事项"], status="draft")
    p["idle"] = _platform("idle.example", "无人使用系统", health)
    _matters(p["idle"], health, ["甲", "乙"])
    p["used"] = _platform("used.example", "常用系统", health)
    _matters(p["used"], health, ["丙"])
    p["fresh"] = _platform("fresh.example", "新登记系统", health, created_at=NOW - timedelta(days=5))
    _matters(p["fresh"], health, ["丁"])
    p["down"] = _platform("down.example", "停摆系统", tax)
    _matters(p["down"], tax, ["戊"])
    p["flaky"] = _platform("flaky.example", "偶尔无法访问系统", tax)
    _matters(p["flaky"], tax, ["己"])
    db.session.flush()
    _checks(p["down"], NOW - timedelta(days=20), 2, ok=True)
    _checks(p["down"], NOW - timedelta(days=8), 9, ok=False)
    _checks(p["flaky"], NOW - timedelta(days=3), 4, ok=False)
    # shadows: one host under two addresses
    p["http"] = _platform("http-a.example", "甲系统", tax, base_url="http://a.example")
    p["https"] = _platform("https-a.example", "甲系统", tax, base_url="https://www.a.example", sso_client_id="a")
    _matters(p["http"], tax, ["庚"])
    _matters(p["https"], tax, ["辛"])
    # three similarly named systems of one department; a same-named one elsewhere is not a shadow
    for number in range(3):
        p[f"site{number}"] = _platform(f"site{number}.example", "部门官方网站", social)
        _matters(p[f"site{number}"], social, [f"网站事项{number}"])
    p["site-other"] = _platform("site-other.example", "部门官方网站", health)
    _matters(p["site-other"], health, ["网站事项9"])
    # different departments handling the same catalogue items
    shared = ["社保卡申领", "社保卡挂失", "社保关系转移", "养老金领取"]
    p["card1"] = _platform("card1.example", "社保卡服务平台", social)
    p["card2"] = _platform("card2.example", "医保卡办理系统", health)
    _matters(p["card1"], social, shared)
    _matters(p["card2"], health, shared[:3])
    p["card3"] = _platform("card3.example", "医疗服务系统", tax)
    _matters(p["card3"], tax, ["社保卡申领", "诊疗预约", "检查报告", "住院登记"])
    db.session.flush()
    for key, platform in p.items():  # everything was used 10 days ago, except the idle one (and the empty one)
        first = db.session.scalars(db.select(Matter.id).where(Matter.platform_id == platform.id)).first()
        if key not in ("idle", "empty") and first:
            db.session.add(LinkThrough(at=NOW - timedelta(days=10), matter_id=first, platform_id=platform.id))
    db.session.commit()
    return p


def _codes(items):
    return {item.platform.code for item in items}


def test_zombie_rules(constructed):
    built = platform_report.build(now=NOW)
    zombies = {z.platform.code: z for z in built.zombies}
    assert set(zombies) == {"empty.example", "idle.example", "down.example"}
    assert zombies["empty.example"].evidence[0] == "没有已发布的事项"
    assert zombies["idle.example"].evidence[0] == "90 天内没有办理跳转（最近一次：从未）"
    assert zombies["down.example"].evidence == ["已连续 8 天无法访问（连续 9 次检测失败）", "未对接统一身份认证"]
    assert "限期恢复服务" in zombies["down.example"].action
    # used 10 days ago, registered 5 days ago, unreachable for 3 days: none of them is a candidate
    assert not {"used.example", "fresh.example", "flaky.example"} & set(zombies)
    shorter = platform_report.build(platform_report.Rules(unreachable_days=3), now=NOW)
    assert "flaky.example" in _codes(shorter.zombies)


def test_shadow_rules_group_duplicates_and_keep_the_best(constructed):
    built = platform_report.build(now=NOW)
    shadows = {s.platform.code: s for s in built.shadows}
    # same host: the single-sign-on one is kept
    assert shadows["http-a.example"].keep.code == "https-a.example"
    assert shadows["http-a.example"].evidence[0] == "同一主机的不同地址（http/https 或 www）"
    assert "https-a.example" not in shadows
    # one group of three same-named sites in one department; the other department's is not in it
    sites = [s for code, s in shadows.items() if code.startswith("site")]
    assert len(sites) == 2 and len({s.group for s in sites}) == 1 and "site-other.example" not in shadows
    assert sites[0].keep.code.startswith("site")
    # cross-department matter overlap 3/4 = 0.75 ≥ 0.5; 1/7 is not
    card = shadows.get("card2.example") or shadows.get("card1.example")
    assert card.matter_similarity == 0.75 and card.shared_matters == 3
    assert "card3.example" not in shadows
    assert built.summary == {"platforms": 15, "zombies": 3, "shadows": 4, "shadow_groups": 3, "decided": 0}


def test_decisions_are_tracked_until_carried_out(constructed, make_user):
    admin = make_user("admin")
    p = constructed
    registry.record_decision(admin, p["idle"], "zombie", "keep", note="季节性业务")
    registry.record_decision(admin, p["http"], "shadow", "merge", merge_into=p["https"])
    registry.record_decision(admin, p["empty"], "zombie", "retire", retire_by=date(2026, 11, 30))
    with pytest.raises(registry.DecisionRefused):
        registry.record_decision(admin, p["down"], "zombie", "retire")  # no date
    with pytest.raises(registry.DecisionRefused):
        registry.record_decision(admin, p["down"], "zombie", "merge", merge_into=p["down"])
    today = date(2026, 12, 1)

    def progress():
        built = platform_report.build(now=NOW)
        items = {**{z.platform.code: z for z in built.zombies}, **{s.platform.code: s for s in built.shadows}}
        return {code: platform_report.decision_progress(item.decision, today)
                for code, item in items.items() if item.decision}

    assert progress() == {"idle.example": "done", "http-a.example": "open", "empty.example": "overdue"}
    registry.update_platform(admin, p["empty"], {"status": "retired"})
    registry.merge(admin, p["https"], p["http"])
    decisions = {d.platform.code: (d.status, d.completed_at is not None)
                 for d in db.session.scalars(db.select(platform_report.PlatformDecision))}
    assert decisions == {"idle.example": ("done", True), "http-a.example": ("done", True),
                         "empty.example": ("done", True)}
    assert progress() == {"idle.example": "done"}  # retired and merged platforms leave the report


def test_the_report_page_records_a_decision_and_downloads(client, login, make_user, constructed):
    login(make_user("admin"))
    page = client.get("/admin/platforms/report").get_data(as_text=True)
    assert "空壳系统" in page and "同一主机的不同地址" in page
    response = client.post("/admin/platforms/idle.example/decision",
                           data={"finding": "zombie", "decision": "retire", "retire_by": "2027-03-31", "note": "并网"})
    assert response.status_code == 302
    page = client.get("/admin/platforms/report").get_data(as_text=True)
    assert "限期下线（2027-03-31 前）" in page and "进行中" in page
    refused = client.post("/admin/platforms/idle.example/decision", data={"finding": "zombie", "decision": "merge"},
                          follow_redirects=True).get_data(as_text=True)
    assert "并入时请填写另一个仍在用的平台的编码" in refused

    rows = list(csv.reader(io.StringIO(client.get("/admin/platforms/report.csv").get_data(as_text=True)[1:])))
    assert rows[0][:3] == ["类型", "组", "平台编码"]
    assert {row[0] for row in rows[1:]} == {"僵尸", "影子"}
    xlsx = client.get("/admin/platforms/report.xlsx")
    assert xlsx.mimetype.endswith("spreadsheetml.sheet")
    with zipfile.ZipFile(io.BytesIO(xlsx.get_data())) as book:
        workbook = book.read("xl/workbook.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "僵尸候选" in workbook and "影子候选" in workbook and "空壳系统" in strings


def test_department_staff_see_their_own_candidates_and_cannot_decide(client, login, make_user, constructed):
    editor = make_user("editor", department=constructed["idle"].department)
    login(editor)
    page = client.get("/admin/platforms/report").get_data(as_text=True)
    assert "无人使用系统" in page and "空壳系统" not in page and "记录决定" not in page
    assert client.post("/admin/platforms/idle.example/decision",
                       data={"finding": "zombie", "decision": "keep"}).status_code == 403


def test_the_cli_writes_json_and_csv(app, constructed, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["platforms", "report", "--format", "json", "--output", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {"zombies", "shadows", "summary", "rules"} <= set(data)
    assert any(z["code"] == "empty.example" for z in data["zombies"])
    result = runner.invoke(args=["platforms", "report", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("类型,组,平台编码")
