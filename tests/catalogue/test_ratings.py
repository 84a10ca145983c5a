"""好差评: one evaluation per user, public counts, rectification within 15 working days, appeal and review."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.catalogue.ratings import add_working_days
from portal.extensions import db
from portal.models import AuditLog, Rating, Rectification


@pytest.mark.unit
def test_fifteen_working_days_skip_weekends():
    assert add_working_days(date(2026, 11, 23), 15) == date(2026, 12, 14)  # a Monday → three weeks later
    assert add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)  # Saturday → Monday


@pytest.mark.integration
def test_anonymous_visitors_are_asked_to_sign_in(client, catalogue):
    assert "登录后评价" in client.get("/matters/M-BIRTH").get_data(as_text=True)
    response = client.post("/matters/M-BIRTH/ratings", data={"level": "5"})
    assert response.status_code in (302, 401) and "/login" in response.headers["Location"]


@pytest.mark.integration
def test_one_evaluation_per_user_and_public_counts(client, catalogue, make_user, login):
    login(make_user("citizen"))
    assert client.post("/matters/M-BIRTH/ratings", data={"level": "5", "comment": "很快"}).status_code == 302
    again = client.post("/matters/M-BIRTH/ratings", data={"level": "1"}, follow_redirects=True)
    assert "您已评价过本事项" in again.get_data(as_text=True)
    assert db.session.query(Rating).count() == 1
    bad = client.post("/matters/M-BIRTH/ratings", data={"level": "9"}, follow_redirects=True)
    assert db.session.query(Rating).count() == 1 and bad.status_code == 200
    html = client.get("/matters/M-BIRTH").get_data(as_text=True)
    assert "共 1 条评价" in html and "您已评价：非常满意" in html


@pytest.mark.integration
def test_a_poor_rating_opens_a_rectification_the_department_answers_or_appeals(
        app, catalogue, make_user, login):
    citizen, other = make_user("citizen"), make_user("citizen")
    editor = make_user("editor", department=catalogue["health"])
    outsider = make_user("editor", department=catalogue["police"])
    admin = make_user("admin")

    def client_for(user):
        return login(user, app.test_client())

    client_for(citizen).post("/matters/M-BIRTH/ratings", data={"level": "1", "comment": "跑了三次"})
    client_for(other).post("/matters/M-BIRTH/ratings", data={"level": "2"})
    first, second = db.session.scalars(select(Rectification).order_by(Rectification.id)).all()
    assert first.status == "open" and first.due_on == add_working_days(date.today(), 15)
    assert first.department_id == catalogue["health"].id

    page = client_for(editor).get("/ratings/rectifications").get_data(as_text=True)
    assert "跑了三次" in page and "待整改" in page
    assert "跑了三次" not in client_for(outsider).get("/ratings/rectifications").get_data(as_text=True)
    refused = client_for(outsider).post(f"/ratings/rectifications/{first.id}", data={"action": "rectify",
                                                                                  "response": "x"})
    assert refused.status_code == 403

    client_for(editor).post(f"/ratings/rectifications/{first.id}", data={"action": "rectify",
                                                                       "response": "已开通网上办理"})
    client_for(editor).post(f"/ratings/rectifications/{second.id}", data={"action": "appeal",
                                                                        "reason": "评价人未实际办理"})
    db.session.expire_all()
    assert (first.status, second.status) == ("rectified", "appealed")
    assert "已开通网上办理" in client_for(citizen).get("/matters/M-BIRTH").get_data(as_text=True)

    appeal = second.appeals[0]
    assert "评价人未实际办理" in client_for(admin).get("/ratings/appeals").get_data(as_text=True)
    client_for(admin).post(f"/ratings/appeals/{appeal.id}", data={"decision": "uphold", "note": "核实无办件记录"})
    db.session.expire_all()
    assert second.status == "void" and second.rating.counted is False
    assert "共 1 条评价" in client_for(citizen).get("/matters/M-BIRTH").get_data(as_text=True)
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["rectify", "appeal", "decide_appeal"]
