"""The /search page without JavaScript, suggestions, click tracking, and the administrators'
synonym, best-bet and analytics pages."""

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, BestBet, QueryLog, SearchClick, SynonymGroup
from portal.site_search.service import flush_query_log

pytestmark = pytest.mark.integration


def text(response):
    return response.get_data(as_text=True)


def words(response):
    """The page's text without tags (titles carry <mark> around matches)."""
    return re.sub(r"<[^>]+>", "", text(response))


def test_search_page_has_tabs_with_counts_facets_and_marks(search_index, client):
    page = text(client.get("/search", query_string={"q": "驾驶证"}))
    assert re.search(r"办事 <span class=\"count\">\(2\)</span>", page)
    assert re.search(r"问答 <span class=\"count\">\(1\)</span>", page)
    assert re.search(r"政务公开 <span class=\"count\">\(1\)</span>", page)
    assert "<mark>驾驶证</mark>" in page
    assert "实施部门" in page and "市公安局" in page  # a facet
    tab = words(client.get("/search", query_string={"q": "驾驶证", "type": "answer"}))
    assert "驾驶证到期了怎么换证" in tab and "机动车驾驶证期满换证" not in tab


def test_in_english_a_tab_is_plural_and_one_result_singular(search_index, client):
    page = text(client.get("/search", query_string={"q": "驾驶证", "lang": "en"}))
    assert re.search(r"Answers <span class=\"count\">\(1\)</span>", page)
    assert re.search(r"Services <span class=\"count\">\(2\)</span>", page)
    assert '<span class="result-kind">Answer</span>' in page
    assert '<span class="result-kind">Service</span>' in page


def test_one_search_box_carries_the_query_and_the_tab(search_index, client):
    """Issue 14 item 4: /search showed the header's box and one of its own, suggestions only in the second."""
    page = text(client.get("/search", query_string={"q": "驾驶证", "type": "answer", "department": "市公安局"}))
    assert page.count('role="search"') == 1 and page.count('type="search"') == 1
    box = page[page.index('role="search"'):page.index("</form>", page.index('role="search"'))]
    assert 'id="site-search"' in box and 'value="驾驶证"' in box and 'name="type" value="answer"' in box
    assert 'hx-get="/search/suggest"' in box and 'aria-controls="site-search-suggestions"' in box
    assert 'name="department"' not in box  # a new search starts without the filters
    bogus = text(client.get("/search", query_string={"q": "x", "type": "<script>"}))
    assert 'name="type"' not in bogus[bogus.index('role="search"'):]
    for path in ("/", "/matters", "/answers", "/search/suggest?q=shiye", "/matters/NO-SUCH"):
        page = text(client.get(path))
        # One site search (a list's own filter, as on /answers, is another thing).
        assert page.count('action="/search"') == 1 and 'hx-get="/search/suggest"' in page, path
        assert 'name="type"' not in page.split('action="/search"')[1].split("</form>")[0], path
    suggest_page = text(client.get("/search/suggest?q=shiye"))
    assert 'value="shiye"' in suggest_page and 'formaction="/search/suggest"' in suggest_page


def test_facet_links_filter_and_combine(search_index, client):
    response = client.get("/search", query_string={"q": "机动车驾驶证", "online_depth": "4"})
    assert "机动车驾驶证增加准驾车型" in words(response) and "机动车驾驶证期满换证" not in words(response)
    assert 'aria-current="true"' in text(response)


def test_pagination_links(search_index, client):
    page = text(client.get("/search", query_string={"q": "申请"}))  # 9 distinct matter titles and 2 answers
    assert "下一页" in page and "page=2" in page
    second = text(client.get("/search", query_string={"q": "申请", "page": "2"}))
    assert "上一页" in second and "第 2 / 2 页" in second


def test_zero_results_page_helps(search_index, client, make_department, make_matter):
    make_matter(make_department(), name="常用事项", status="published")
    page = text(client.get("/search", query_string={"q": "量子纠缠望远镜"}))
    assert "没有找到" in page and "12345" in page and "常用事项" in page


def test_suggestions_as_fragment_and_as_page(search_index, client):
    fragment = text(client.get("/search/suggest", query_string={"q": "shiye"}, headers={"HX-Request": "true"}))
    assert fragment.startswith("<li>") and "失业登记" in fragment and "<html" not in fragment
    page = text(client.get("/search/suggest", query_string={"q": "shiye"}))
    assert "<html" in page and "失业登记" in page


def test_queries_are_logged_without_personal_data_and_clicks_counted(search_index, client):
    page = text(client.get("/search", query_string={"q": " 失业登记 ", "type": "matter"}))
    flush_query_log()  # written in batches off the request path
    entry = db.session.scalar(select(QueryLog))
    assert (entry.query, entry.kind, entry.channel) == ("失业登记", "matter", "page") and entry.results >= 1
    personal = {"user_id", "ip", "ip_address", "session"}
    assert not personal & (set(QueryLog.__table__.columns.keys()) | set(SearchClick.__table__.columns.keys()))
    link = re.search(r'href="(/search/click\?[^"]+)"', page).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"] == "/matters/T-003"
    click = db.session.scalar(select(SearchClick))
    assert (click.query, click.kind, click.result_id, click.position) == ("失业登记", "matter", "matter-3", 1)


@pytest.mark.parametrize("changes", [
    {"q": " "}, {"type": "user"}, {"id": "matter-x"}, {"id": "<script>"}, {"pos": "0"}, {"pos": "²"},
    {"pos": "-1"}, {"pos": "99999"},
])
def test_clicks_that_no_results_page_links_to_are_not_counted(client, app, changes):
    arguments = {"q": "失业登记", "type": "matter", "id": "matter-3", "pos": "1", "to": "/matters/T-003", **changes}
    response = client.get("/search/click", query_string=arguments)
    assert response.status_code == 302 and response.headers["Location"] == "/matters/T-003"
    assert db.session.scalar(select(SearchClick)) is None


def test_click_never_redirects_off_site(client, app):
    for target in ("https://evil.example/x", "//evil.example/x", "/\\evil.example"):
        arguments = {"q": "失业登记", "id": "matter-3", "pos": "1", "to": target}
        response = client.get("/search/click", query_string=arguments)
        assert response.status_code == 302 and response.headers["Location"] == "/search"


def test_staff_switch_components_off_and_see_explanations(search_index, client, login, make_user):
    citizen_page = text(client.get("/search", query_string={"q": "驾驶证", "explain": "1"}))
    assert "得分" not in citizen_page and "排序调试" not in citizen_page
    login(make_user("operator"))
    page = text(client.get("/search", query_string={"q": "驾驶证", "explain": "1", "off": "popularity"}))
    assert "排序调试" in page and "<details" in page
    assert 'value="popularity" checked' in page


def test_admin_edits_synonyms_with_audit(client, login, make_user):
    login(make_user("admin"))
    response = client.post("/admin/search/synonyms", data={"terms": "开饭店，餐饮服务、食品经营许可"})
    assert response.status_code == 302
    group = db.session.scalar(select(SynonymGroup))
    assert group.term_list == ["开饭店", "餐饮服务", "食品经营许可"]
    refused = text(client.post("/admin/search/synonyms", data={"terms": "只有一个"}))
    assert "至少填写两个" in refused
    client.post(f"/admin/search/synonyms/{group.id}", data={"terms": "开饭店,餐饮服务"})
    client.post(f"/admin/search/synonyms/{group.id}/delete")
    assert db.session.scalar(select(SynonymGroup)) is None
    actions = [entry.action for entry in db.session.scalars(select(AuditLog).where(AuditLog.entity_type == "synonym"))]
    assert actions == ["create", "update", "delete"]


def test_admin_pins_a_best_bet_with_expiry(client, login, make_user, make_department, make_matter):
    matter = make_matter(make_department(), code="BB-1", name="社会保障卡申领", status="published")
    login(make_user("admin"))
    response = client.post("/admin/search/best-bets", data={
        "query": "社保卡", "matter_code": "BB-1", "position": "1", "expires_on": "2099-12-31"})
    assert response.status_code == 302
    bet = db.session.scalar(select(BestBet))
    assert (bet.query, bet.matter_id, str(bet.expires_on)) == ("社保卡", matter.id, "2099-12-31")
    page = text(client.post("/admin/search/best-bets", data={"query": "社保卡", "matter_code": "NOPE"}))
    assert "没有这个编码的事项" in page
    page = text(client.post("/admin/search/best-bets", data={
        "query": "x", "matter_code": "BB-1", "expires_on": "2000-01-01"}))
    assert "有效期不能早于今天" in page
    assert "社会保障卡申领" in text(client.get("/admin/search/best-bets"))


def test_analytics_page_shows_top_zero_and_click_through(search_index, client, login, make_user):
    client.get("/search", query_string={"q": "失业登记"})
    client.get("/search", query_string={"q": "量子纠缠望远镜"})
    flush_query_log()
    login(make_user("admin"))
    page = text(client.get("/admin/search/"))
    assert "热门搜索词" in page and "失业登记" in page
    assert "零结果搜索词" in page and "量子纠缠望远镜" in page
    assert "一次搜索点开几个结果时会超过 100%。" in page  # what the click-through figures mean
    assert "passes 100% when people open several results" in text(client.get("/admin/search/?lang=en"))


def test_admin_pages_are_for_admins_only(client, login, make_user):
    login(make_user("editor"))
    assert client.get("/admin/search/").status_code == 403


def test_a_weak_match_says_so_and_points_to_12345(search_index, client):
    # Every fixture matter's guide says 注意, so this finds matters; none of them is about studying abroad.
    page = words(client.get("/search?q=孩子出国留学要注意什么"))
    assert "没有找到与“孩子出国留学要注意什么”明确对应的办事服务" in page
    assert "12345" in page and "可能相关的事项" in page
    assert "明确对应" not in words(client.get("/search?q=失业登记"))
