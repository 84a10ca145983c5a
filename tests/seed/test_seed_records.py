"""Checking source records: every bad record is rejected with a reason, never a crash."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.seed.records import MatterRecord, Rejected, check, guangan, guangdong, level_of_region, time_limit

GOOD_GUANGDONG = {
    "task_code": "11440000006939756B2440101007000", "name": "临时价格干预范围事项提价申报",
    "base_name": "临时价格干预范围事项提价申报", "type": "行政许可", "department": "广东省发展和改革委员会",
    "area": "广东省", "area_code": "440000", "level": "省级", "audience": ["自然人", "企业法人"],
    "themes": ["结婚"], "conditions": "条件", "materials": ["申请报告", "申请报告", " "],
    "time_limit_a_raw": "30(工作日)", "time_limit_b_raw": "90(自然日)", "consult_phone": "020-34121084",
    "complain_phone": None, "location": "办理地点：广州市越秀区东风中路305号", "visits_required": "0",
    "courier": "不支持", "online_booking": "是", "platform": "广东省政务服务网统一申办平台",
    "url": "https://www.gdzwfw.gov.cn/gaio/apply.html#/1", "short_name": "提价申报",
}
GOOD_GUANGAN = {
    "department": "区教科体局", "group": "未分类", "name": "适龄儿童延缓入学审批", "task_type": "行政许可",
    "item_code": "511A0138000000-511602000000-000-115113010833722043-1-00",
    "url": "http://www.sczwfw.gov.cn/jiq/front/transition/ywTransToDetail?itemCode=1", "area_code": "511602000000",
    "area": "四川省广安市广安区",
}


@pytest.mark.unit
def test_a_guangdong_record_is_normalised():
    record = check(GOOD_GUANGDONG, guangdong)
    assert record.level == "省" and record.audiences == ["自然人", "法人"]
    assert record.legal_time_limit_days == 30 and record.promised_time_limit_days is None
    assert record.time_limit_note == "承诺办结时限：90 个自然日"
    assert record.location == "广州市越秀区东风中路305号"
    assert record.materials == ["申请报告"] and record.visits_required == 0
    assert record.courier is False and record.online_booking is True
    assert record.aliases == ["提价申报"] and record.life_events == ["结婚一件事"]


@pytest.mark.unit
def test_a_guangan_record_names_its_county_department_and_level():
    record = check(GOOD_GUANGAN, guangan)
    assert record.department == "广安区教科体局" and record.level == "县"
    assert record.base_name is None and "入学一件事" in record.life_events


@pytest.mark.unit
@pytest.mark.parametrize("raw, days, note", [
    ("30(工作日)", 30, None), ("７(工作日)", 7, None), ("8:30-12:00", None, "8:30-12:00"),
    ("20（工作日）", 20, None), (None, None, None), ("90(自然日)", None, "90 个自然日"),
])
def test_time_limits_are_read_only_when_plain(raw, days, note):
    assert time_limit(raw) == (days, note)


@pytest.mark.unit
@pytest.mark.parametrize("code, level", [("440000", "省"), ("440100", "市"), ("511602000000", "县"),
                                         ("511602001000", "乡"), (None, None), ("abc", None)])
def test_level_of_region(code, level):
    assert level_of_region(code) == level


@pytest.mark.unit
@pytest.mark.parametrize("change, reason", [
    ({"task_code": None}, "缺少事项编码"), ({"task_code": "a/b"}, "事项编码只能"), ({"name": "  "}, "缺少事项名称"),
    ({"department": 3}, "实施部门应为文本"), ({"type": "行政审批"}, "未知的事项类型"),
    ({"url": "javascript:alert(1)"}, "办理地址不是有效"), ({"materials": "申请书"}, "申请材料应为文本列表"),
    ({"visits_required": "两次"}, "到现场次数应为整数"), ({"courier": "也许"}, "是否支持物流快递"),
    ({"level": "国家级"}, "未知的层级"), ({"name": "长" * 301}, "事项名称超过 300"),
    ({"consult_phone": "电话" * 120}, "找不到电话号码"),
])
def test_each_bad_field_is_named(change, reason):
    with pytest.raises(Rejected, match=reason):
        check({**GOOD_GUANGDONG, **change}, guangdong)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=8,
)


@pytest.mark.unit
@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(sorted(GOOD_GUANGDONG)), value=JSON_VALUES, source=st.sampled_from(["gd", "ga"]))
def test_any_value_in_any_field_gives_a_record_or_a_reason(field, value, source):
    good, parse = (GOOD_GUANGDONG, guangdong) if source == "gd" else (GOOD_GUANGAN, guangan)
    raw = json.loads(json.dumps({**good, field: value}))
    try:
        record = check(raw, parse)
    except Rejected as error:
        assert str(error)
    else:
        assert isinstance(record, MatterRecord) and record.code and record.name and record.department


@pytest.mark.unit
@settings(max_examples=100, deadline=None)
@given(value=JSON_VALUES)
def test_any_json_line_gives_a_record_or_a_reason(value):
    try:
        check(value, guangdong)
    except Rejected as error:
        assert str(error)
