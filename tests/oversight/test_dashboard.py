"""The dashboard's figures on constructed data (Beijing weeks), its charts (SVG, no script, no
external host) and CSV tables, and what department staff see."""

import csv
import io
import re
from datetime import date, datetime

import pytest

from portal.extensions import db
from portal.models import (
    AuditLog,
    CallLog,
    HandOff,
    LinkThrough,
    Matter,
    Platform,
    PlatformCheck,
    QueryLog,
    Rating,
    Rectification,
)
from portal.oversight import dashboard

pytestmark = pytest.mark.integration
# Beijing weeks of 2026-11-16 and 2026-11-23 (Mondays); 2026-11-22 16:30 UTC is Monday 23rd 00:30 in Beijing.
FIRST, LAST = date(2026, 11, 16), date(2026, 11, 29)
MONDAY_EARLY = datetime(2026, 11, 22, 16, 30)
SUNDAY_LATE = datetime(2026, 11, 22, 15, 30)  # Sunday 22nd 23:30 in Beijing


@pytest.fixture
def data(app, make_department, make_user):
    police, health = make_department("市公安局"), make_department("市卫健委")
    gaj = Platform(code="gaj", name="公安办事系统", base_url="https://gaj.example", department=police)
    wjw = Platform(code="wjw", name="卫健办事系统", base_url="https://wjw.example", department=health)
    db.session.add_all([gaj, wjw])
    matters = {
        "id": Matter(code="M1", name="身份证", department=police, status="published", platform=gaj),
        "hukou": Matter(code="M2", name="户口", department=police, status="in_review", platform=gaj),
        "birth": Matter(code="M3", name="出生证", department=health, status="published", platform=wjw),
        "old": Matter(code="M4", name="旧事项", department=health, status="withdrawn"),
    }
    db.session.add_all(matters.values())
    db.session.flush()
    clicks = [(SUNDAY_LATE, "id"), (MONDAY_EARLY, "id"), (MONDAY_EARLY, "birth"), (datetime(2026, 11, 25), "birth")]
    db.session.add_all(LinkThrough(at=at, matter_id=matters[key].id, platform_id=matters[key].platform_id)
                       for at, key in clicks)
    for at, action, key in [(datetime(2026, 11, 17, 1), "submit", "id"), (datetime(2026, 11, 17, 5), "approve", "id"),
                            (datetime(2026, 11, 24, 1), "submit", "birth"),
                            (datetime(2026, 11, 25, 1), "approve", "birth")]:
        db.session.add(AuditLog(at=at, action=action, entity_type="matter", entity_id=str(matters[key].id)))
    db.session.add_all([QueryLog(at=datetime(2026, 11, 17), query="身份证", results=3),
                        QueryLog(at=datetime(2026, 11, 17), query="不存在", results=0),
                        QueryLog(at=datetime(2026, 11, 24), query="户口", results=2)])
    citizen = make_user("citizen")
    other = make_user("citizen")
    poor = Rating(matter_id=matters["birth"].id, user_id=citizen.id, level=2, created_at=datetime(2026, 11, 24))
    db.session.add_all([poor, Rating(matter_id=matters["id"].id, user_id=other.id, level=5,
                                     created_at=datetime(2026, 11, 18))])
    db.session.flush()
    db.session.add(Rectification(rating_id=poor.id, department_id=health.id, status="open", due_on=date(2026, 1, 1)))
    operator = make_user("operator")
    call = CallLog(at=datetime(2026, 11, 24, 2), operator_id=operator.id, category="户籍", summary="咨询",
                   outcome="handed_off")
    db.session.add(call)
    db.session.flush()
    db.session.add(HandOff(call_id=call.id, department_id=police.id, created_at=datetime(2026, 11, 24, 2),
                           acknowledge_due=datetime(2026, 11, 25, 2), reply_due=datetime(2026, 12, 1, 2),
                           replied_at=datetime(2026, 11, 26, 2), status="replied"))
    db.session.add_all([PlatformCheck(platform=gaj, checked_at=datetime(2026, 11, 24), ok=True),
                        PlatformCheck(platform=wjw, checked_at=datetime(2026, 11, 24), ok=False),
                        PlatformCheck(platform=wjw, checked_at=datetime(2026, 11, 25), ok=True),
                        PlatformCheck(platform=wjw, checked_at=datetime(2026, 11, 26), ok=True)])
    db.session.commit()
    return {"police": police, "health": health, "admin": make_user("admin"),
            "police_editor": make_user("editor", department=police)}


def _tables(scope):
    return {table.key: table for table in dashboard.all_tables(scope)}


def test_the_figures_by_beijing_week(data):
    tables = _tables(dashboard.Scope(FIRST, LAST))
    rows = lambda key: [[str(value) for value in row] for row in tables[key].rows]  # noqa: E731
    assert rows("matters_status") == [["草稿", "0"], ["审核中", "1"], ["已发布", "2"], ["已撤回", "1"]]
    # Sunday 23:30 Beijing belongs to the first week, Monday 00:30 Beijing to the second
    assert [str(c) for c in tables["link_throughs"].columns] == ["周（北京时间）", "公安办事系统", "卫健办事系统"]
    assert rows("link_throughs") == [["2026-11-16 周", "1", "0"], ["2026-11-23 周", "1", "2"]]
    assert rows("publishing") == [["2026-11-16 周", "1", "1", "4.0"], ["2026-11-23 周", "1", "1", "24.0"]]
    assert rows("searches") == [["2026-11-16 周", "2", "1", "50.0"], ["2026-11-23 周", "1", "0", "0.0"]]
    assert rows("ratings") == [["非常满意", "1"], ["满意", "0"], ["基本满意", "0"], ["不满意", "1"],
                               ["非常不满意", "0"]]
    assert ["已逾期", "1"] in rows("rectifications")
    assert rows("hotline") == [["2026-11-16 周", "0", "0", "0", "0", "0"], ["2026-11-23 周", "1", "1", "1", "0", "0"]]
    assert rows("availability") == [["2026-11-16 周", "0", "0", "0"], ["2026-11-23 周", "4", "3", "75.0"]]


def test_interaction_figures_per_beijing_month(data):
    from portal.models import Message

    def message(received, replied, due, rating=None, department=data["police"]):
        return Message(kind="咨询", title="问", body="问", public_title="问", public_body="问", department=department,
                       received_at=received, first_replied_at=replied, reply_due=due, rating=rating)

    db.session.add_all([
        message(datetime(2026, 11, 17), datetime(2026, 11, 18), datetime(2026, 11, 20), "satisfied"),
        message(datetime(2026, 11, 18), datetime(2026, 11, 25), datetime(2026, 11, 20), "dissatisfied"),
        message(datetime(2026, 11, 19), None, datetime(2026, 11, 20), department=data["health"]),
        message(datetime(2026, 10, 31, 17), None, None),  # 1 November in Beijing, before the range
    ])
    db.session.commit()
    rows = dashboard.interaction(dashboard.Scope(FIRST, LAST)).rows
    assert rows == [["2026-11", 3, 2, 1, 2, 50.0]]
    police = dashboard.interaction(dashboard.Scope(FIRST, LAST, department_id=data["police"].id, admin=False))
    assert police.rows == [["2026-11", 2, 2, 1, 1, 50.0]]


def test_department_staff_see_their_own_department(data, client, login):
    scope = dashboard.Scope(FIRST, LAST, department_id=data["police"].id, admin=False)
    tables = _tables(scope)
    assert "searches" not in tables
    assert [row[1] for row in tables["matters_status"].rows] == [0, 1, 1, 0]
    assert [str(c) for c in tables["link_throughs"].columns] == ["周（北京时间）", "公安办事系统"]
    assert [str(c) for c in tables["hotline"].columns][1] == "转办"  # no portal-wide call counts
    login(data["police_editor"])
    page = client.get("/admin/?from=2026-11-16&to=2026-11-29").get_data(as_text=True)
    assert "搜索次数" not in page and "市卫健委" not in page
    assert client.get("/admin/charts/searches.svg").status_code == 404
    assert client.get("/admin/tables/searches.csv").status_code == 404


def test_the_page_has_a_chart_and_a_table_per_section_and_csv_downloads(data, client, login):
    login(data["admin"])
    page = client.get("/admin/?from=2026-11-16&to=2026-11-29").get_data(as_text=True)
    for key in dashboard.SECTIONS:
        assert f'src="/admin/charts/{key}.svg?from=2026-11-16&amp;to=2026-11-29"' in page
        assert f'href="/admin/tables/{key}.csv?from=2026-11-16&amp;to=2026-11-29"' in page
    assert "政民互动" in page
    response = client.get("/admin/tables/link_throughs.csv?from=2026-11-16&to=2026-11-29")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [["周（北京时间）", "公安办事系统", "卫健办事系统"], ["2026-11-16 周", "1", "0"],
                    ["2026-11-23 周", "1", "2"]]
    assert "link_throughs-2026-11-16-2026-11-29.csv" in response.headers["Content-Disposition"]


def test_charts_are_svg_with_no_script_and_no_external_host(data, client, login):
    login(data["admin"])
    for key in dashboard.SECTIONS:
        response = client.get(f"/admin/charts/{key}.svg?from=2026-11-16&to=2026-11-29")
        svg = response.get_data(as_text=True)
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert "<svg" in svg[:200] and "<title>" in svg
        assert "<script" not in svg.lower()
        assert set(re.findall(r"https?://[^\s\"')<>]+", svg)) <= {"http://www.w3.org/2000/svg",
                                                                 "http://www.w3.org/1999/xlink"}
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_date_ranges_are_clamped(app):
    today = date(2026, 12, 1)
    assert dashboard.clamp(None, None, today) == (date(2026, 10, 7), today)  # the last 8 weeks (56 days)
    assert dashboard.clamp(date(2026, 12, 5), date(2026, 11, 1), today) == (date(2026, 11, 1), today)
    assert dashboard.clamp(date(2020, 1, 1), date(2026, 6, 30), today) == (date(2025, 6, 30), date(2026, 6, 30))


def test_staff_without_a_role_are_refused(client, login, make_user, app):
    login(make_user("citizen"))
    assert client.get("/admin/").status_code == 403
    login(make_user("operator"))
    assert client.get("/admin/charts/ratings.svg").status_code == 403
