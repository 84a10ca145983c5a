import re

import pytest

from portal.interaction import routing

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
