"""Server errors a visitor could trigger are clear 4xx answers or correct pages (issue 11, item 7)."""

import threading

import pytest
import requests

from portal.extensions import db
from portal.models import Rating

pytestmark = pytest.mark.integration
HUGE = "99999999999999999999"


def test_the_department_directory_lists_departments_without_a_region_under_other(client, make_department):
    make_department("有地区的局", region_name="东营市")
    make_department("无地区的局", region_name=None)
    make_department("空地区的局", region_name="")
    response = client.get("/dept/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "东营市（1）" in page and "其他（2）" in page and page.index("东营市") < page.index("其他（2）")


def test_huge_page_numbers_are_a_clear_400(client, make_department):
    department = make_department()
    for path in ("/answers", f"/dept/{department.slug}/matters", f"/dept/{department.slug}/columns/通知公告",
                 "/matters", "/search"):
        response = client.get(path, query_string={"page": HUGE})
        assert response.status_code == 400, path
        assert "页码须为 1 到 10000 之间的整数" in response.get_data(as_text=True)
    assert client.get(f"/dept/{department.slug}/matters", query_string={"page": "10000"}).status_code == 200
    assert client.get("/api/v1/matters", query_string={"page": HUGE}).get_json()["error"]["code"] == 400


def test_six_concurrent_ratings_by_one_user_give_one_rating_and_no_500(app, live_server, make_department, make_matter,
                                                                       make_user, login):
    code = make_matter(make_department(), status="published").code
    cookie = login(make_user("citizen"), app.test_client()).get_cookie("session")
    start = threading.Barrier(6)
    statuses = []

    def rate():
        with requests.Session() as browser:
            browser.cookies.set("session", cookie.value)
            start.wait()
            statuses.append(browser.post(f"{live_server}/matters/{code}/ratings", data={"level": "2", "comment": "慢"},
                                         allow_redirects=False, timeout=30).status_code)

    threads = [threading.Thread(target=rate) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] * 6
    assert db.session.scalar(db.select(db.func.count()).select_from(Rating)) == 1
