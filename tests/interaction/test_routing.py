import re

import pytest

from portal import content_generation
from portal.extensions import db
from portal.interaction import cases, routing, service
from portal.models import Department, Message, utcnow

SHARED_MISSING = "the real data is missing (set PORTAL_SHARED_DATA)"


def test_naive_bayes_ranks_the_likelier_label_first():
    model = routing.NaiveBayes().fit([["学校", "老师"], ["学校", "学生"], ["公交", "线路"]], ["教育", "教育", "交通"])
    assert model.rank(["公交", "站点"]) == ["交通", "教育"]
    assert model.rank(["老师"]) == ["教育", "交通"]
    assert routing.NaiveBayes().rank(["任何"]) == []


def test_department_labels_come_from_the_answering_unit():
    rules = routing.load_rules()
    assert routing.department_label("经A7县交警大队调查核实……", rules) == "公安"
    assert routing.department_label("A市住房公积金管理中心回复如下", rules) == "住房公积金"
    assert routing.department_label("A2区人民政府高度重视", rules) == "街镇与区县政府"  # not 民政
    assert routing.department_label("我局高度重视", rules) is None


@pytest.mark.integration
def test_evaluate_routing_prints_accuracy_against_the_baseline(app):
    if not (app.config["SHARED_DATA_DIR"] / "messages-labelled").exists():
        pytest.fail(SHARED_MISSING)
    result = app.test_cli_runner().invoke(args=["interaction", "evaluate-routing"])
    assert result.exit_code == 0, result.output
    category, department = result.output.split("\n部门")
    assert "495 messages" in category

    def scores(section):
        return {line[:44].strip(): [float(value) for value in line[44:].split()]
                for line in section.splitlines() if re.fullmatch(r".{44} +[\d.]+ +[\d.]+", line)}

    category, department = scores(category), scores(department)
    baseline, portal = category["most frequent class (baseline)"], category["naive Bayes on routed messages (portal)"]
    assert portal[0] > baseline[0] + 0.3 and portal[1] > baseline[1]
    baseline = department["most frequent department (baseline)"]
    portal = department["naive Bayes on routed messages (portal)"]
    assert portal[0] > baseline[0] + 0.1 and portal[1] > baseline[1] + 0.1


BUS = ("公交车班次太少", "小区门口的公交车班次太少，早晚高峰等车要半小时，希望增加班次和线路。")
# No department rule matches this name, so only the department classifier of this portal's own
# routing can suggest it (after MIN_ROUTED messages were routed to it).
UNIT = "甲单位"


def _routed_by_import(department, count=routing.MIN_ROUTED):
    """Messages the centre routed to `department`, written as an import leaves them."""
    now = utcnow()
    db.session.add_all(
        Message(kind="help", title=f"{BUS[0]}{index}", body=BUS[1], public_title=BUS[0], public_body=BUS[1],
                department_id=department.id, category="交通运输/公共交通", status="assigned", received_at=now,
                assigned_at=now)
        for index in range(count))
    db.session.commit()


def _suggested_names():
    return [department.name for department in routing.suggest(*BUS).departments]


@pytest.mark.integration
def test_two_apps_in_one_process_suggest_from_their_own_routing(app, other_app):
    assert UNIT not in _suggested_names()  # the session's app: nothing routed here (models trained now)
    with other_app.app_context():
        unit = Department(name=UNIT, code="D-UNIT", slug="dept-unit")
        db.session.add(unit)
        db.session.commit()
        _routed_by_import(unit)
        assert _suggested_names()[:1] == [UNIT]  # not the first app's models
    assert UNIT not in _suggested_names()  # nor the other way round


@pytest.mark.integration
def test_a_routing_moves_the_content_generation_and_the_next_suggestion_learns_from_it(
        app, make_department, make_user):
    unit, operator, citizen = make_department(UNIT), make_user("operator"), make_user("citizen", account_type="个人")
    assert UNIT not in _suggested_names()
    before = content_generation.current()
    for index in range(routing.MIN_ROUTED):
        message = service.submit(citizen, "help", f"{BUS[0]}{index}", BUS[1], True)
        cases.route(message, operator, unit, "交通运输")
    assert content_generation.current() != before
    assert _suggested_names()[:1] == [UNIT]  # at once, not after the process retrains by the clock
