"""Home, browse, guide, print and /go/ through the real app and database."""

import json
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import LinkThrough, Matter


@pytest.mark.integration
def test_home_shows_popular_matters_themes_life_events_and_departments(client, catalogue):
    html = client.get("/").get_data(as_text=True)
    for text in ("热门事项", "办出生证", "个人办事", "法人办事", "一件事一次办", "出生一件事", "部门服务", "市公安局"):
        assert text in html
    assert "/matters?life_event=" in html and 'role="search"' in html


@pytest.mark.integration
def test_browse_filters_and_counts_under_the_other_filters(client, catalogue):
    html = client.get("/matters?life_event=出生一件事").get_data(as_text=True)
    assert "共 2 个事项" in html and "出生医学证明办理" in html and "外站办理事项" not in html
    # The department facet counts within the chosen life event; the chip removes the filter.
    assert re.search(r"市公安局</a> <span class=\"count\">1</span>", html)
    assert 'href="/matters"' in html
    html = client.get("/matters?life_event=出生一件事&department=D-POLICE").get_data(as_text=True)
    assert "共 1 个事项" in html and "新生儿入户" in html
    assert "已撤回事项" not in client.get("/matters").get_data(as_text=True)


@pytest.mark.integration
def test_browse_paginates(client, app, catalogue):
    police = catalogue["police"]
    db.session.add_all(Matter(code=f"M-P{n:02d}", name=f"批量事项{n:02d}", department=police, status="published")
                       for n in range(25))
    db.session.commit()
    first = client.get("/matters?department=D-POLICE").get_data(as_text=True)
    assert "共 27 个事项" in first and "第 1 / 2 页" in first and 'rel="next"' in first
    second = client.get("/matters?department=D-POLICE&page=2").get_data(as_text=True)
    assert "批量事项24" in second and 'rel="prev"' in second


@pytest.mark.integration
def test_guide_page_shows_short_guide_start_panel_what_is_missing_and_json_ld(client, catalogue):
    html = client.get("/matters/M-BIRTH").get_data(as_text=True)
    assert html.index("简版办事指南") < html.index("完整办事指南")
    assert 'href="/go/M-BIRTH"' in html and "您将前往“演示部门办事平台”继续办理" in html
    assert "已对接统一身份认证" in html and 'href="/go/M-BIRTH?channel=mobile"' in html
    assert "本事项暂未提供收费信息" in html and "本事项暂未提供设定依据信息" in html
    assert "出生医学证明首次签发登记表" in html and "20 个工作日" in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["@type"] == "GovernmentService" and ld["identifier"] == "M-BIRTH"
    assert ld["provider"]["name"] == "市卫生健康委员会"

    no_online = client.get("/matters/M-HUKOU").get_data(as_text=True)
    assert "本事项暂不支持在线办理" in no_online and "/go/M-HUKOU" not in no_online


@pytest.mark.integration
def test_a_platform_marked_down_shows_its_notice_and_go_answers_503(client, catalogue):
    catalogue["platform"].is_down = True
    catalogue["platform"].downtime_message = "系统升级至 18:00"
    db.session.commit()
    html = client.get("/matters/M-BIRTH").get_data(as_text=True)
    assert "系统升级至 18:00" in html and 'href="/go/M-BIRTH"' not in html
    assert client.get("/go/M-BIRTH").status_code == 503


@pytest.mark.integration
def test_print_view_has_the_full_guide_without_the_site_chrome(client, catalogue):
    html = client.get("/matters/M-BIRTH/print").get_data(as_text=True)
    assert "出生医学证明办理 办事指南" in html and "申请材料" in html and 'role="search"' not in html


@pytest.mark.integration
def test_go_records_the_click_and_redirects_only_to_the_registered_platform(client, catalogue, make_user, login):
    response = client.get("/go/M-BIRTH")
    assert response.status_code == 302 and response.headers["Location"] == "http://127.0.0.1:8001/apply/M-BIRTH"
    mobile = client.get("/go/M-BIRTH?channel=mobile")
    assert mobile.headers["Location"] == "http://m.127.0.0.1.example/apply/M-BIRTH"
    user = make_user("citizen")
    login(user).get("/go/M-BIRTH")
    clicks = db.session.scalars(select(LinkThrough).order_by(LinkThrough.id)).all()
    assert [click.user_id for click in clicks] == [None, None, user.id]
    assert all(click.platform_id == catalogue["platform"].id for click in clicks)
    assert not hasattr(LinkThrough, "ip_address")

    assert client.get("/go/M-ELSEWHERE").status_code == 404  # handling URL not on its platform
    for code in ("M-OLD", "NO-SUCH"):
        response = client.get(f"/go/{code}")
        assert response.status_code == 404 and 'role="search"' in response.get_data(as_text=True)
    assert db.session.query(LinkThrough).count() == 3


@pytest.mark.integration
def test_the_guide_lists_the_other_situations_of_the_same_catalogue_item(client, catalogue):
    police = catalogue["police"]
    db.session.add_all(
        Matter(code=code, name=f"无线电频率使用许可（{situation}）", base_name="无线电频率使用许可",
               department=police, status="published")
        for code, situation in (("M-RADIO-NEW", "新申请"), ("M-RADIO-RENEW", "续期"))
    )
    db.session.commit()
    html = client.get("/matters/M-RADIO-NEW").get_data(as_text=True)
    assert 'href="/matters/M-RADIO-RENEW"' in html and "“无线电频率使用许可”的其他办理情形" in html
    assert "业务办理项" not in client.get("/matters/M-HUKOU").get_data(as_text=True)


@pytest.mark.integration
def test_hostile_text_is_escaped_in_the_page_and_in_the_json_ld(client, catalogue):
    hostile = "</script><script>alert(1)</script>"
    catalogue["birth"].name = hostile
    catalogue["birth"].conditions = "<img src=x onerror=alert(1)>"
    db.session.commit()
    html = client.get("/matters/M-BIRTH").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["name"] == hostile


@pytest.mark.integration
def test_unpublished_and_unknown_guides_are_404_pages_with_a_search_box(client, catalogue):
    for code in ("M-OLD", "NO-SUCH", "M-OLD/print"):
        response = client.get(f"/matters/{code}")
        assert response.status_code == 404 and 'name="q"' in response.get_data(as_text=True)
