"""Reading and checking the source records: each source line becomes a MatterRecord with
normalised values, or a rejection naming why. Nothing here touches the database."""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from portal.catalogue.taxonomy import life_events_for
from portal.models.matter import MATTER_TYPES

CODE_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
# Limits in the source read like `30(工作日)` or `90(自然日)`; anything else is kept as a note,
# never guessed at (other values mix in office hours such as 8:30-12:00).
TIME_LIMIT_PATTERN = re.compile(r"\s*(\d{1,4})\s*[(（]\s*(工作日|自然日)\s*[)）]\s*")
LOCATION_PREFIX = "办理地点："
QUOTES = "“”\"'‘’「」 "
PHONE_PATTERN = re.compile(r"(?<!\d)(?:0\d{2,3}-\d{7,8}(?:转\d{1,5})?|1[3-9]\d{9}|12345|12348)(?!\d)")
LEVEL_NAMES = {"省级": "省", "市级": "市", "县级": "县", "区级": "县", "乡级": "乡", "镇级": "乡"}
YES_NO = {"是": True, "否": False, "不支持": False, "支持": True}
MAX_LENGTHS = {"name": 300, "department": 200, "url": 1000, "platform": 200, "short_name": 200}
PHONE_MAX_LENGTH = 200


class Rejected(Exception):
    """A source record that cannot be imported; the message says why, in Chinese."""


@dataclass
class MatterRecord:
    code: str
    name: str
    department: str
    source: str
    region_code: str | None = None
    region_name: str | None = None
    level: str | None = None
    matter_type: str | None = None
    base_name: str | None = None
    short_name: str | None = None
    aliases: list = field(default_factory=list)
    audiences: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    life_events: list = field(default_factory=list)
    conditions: str | None = None
    legal_time_limit_days: int | None = None
    promised_time_limit_days: int | None = None
    time_limit_note: str | None = None
    location: str | None = None
    consult_phone: str | None = None
    complain_phone: str | None = None
    co_departments: str | None = None
    visits_required: int | None = None
    courier: bool | None = None
    online_booking: bool | None = None
    platform_name: str | None = None
    handling_url: str | None = None
    materials: list = field(default_factory=list)


@dataclass
class Rejection:
    source: str
    line: int
    code: str | None
    reason: str

    def __str__(self):
        return f"{self.source} 第 {self.line} 行（{self.code or '无编码'}）：{self.reason}"


def read_lines(path):
    """(line number, parsed object or the Rejected error) for every non-blank line of a JSONL file."""
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except ValueError as error:
                yield number, Rejected(f"不是有效的 JSON（{error.msg}）")


# --- field checks: each returns the cleaned value or raises Rejected ------------------------------------

def text(raw, key, required=False, label=None):
    value = raw.get(key)
    label = label or key
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Rejected(f"缺少{label}")
        return None
    if not isinstance(value, str):
        raise Rejected(f"{label}应为文本，实际是 {type(value).__name__}")
    value = value.strip()
    limit = MAX_LENGTHS.get(key)
    if limit and len(value) > limit:
        raise Rejected(f"{label}超过 {limit} 个字符")
    return value


def text_list(raw, key, label):
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Rejected(f"{label}应为文本列表")
    return list(dict.fromkeys(item.strip() for item in value if item.strip()))


def matter_code(raw, key):
    code = raw.get(key)
    if not isinstance(code, str) or not code.strip():
        raise Rejected("缺少事项编码")
    code = code.strip()
    if not CODE_PATTERN.fullmatch(code):
        raise Rejected("事项编码只能由字母、数字、点、横线和下划线组成，且不超过 64 个字符")
    return code


def matter_type(raw, key):
    value = text(raw, key, label="事项类型")
    if value is not None and value not in MATTER_TYPES:
        raise Rejected(f"未知的事项类型“{value}”")
    return value


def handling_url(raw, key):
    value = text(raw, key, label="办理地址")
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Rejected("办理地址不是有效的 http(s) 网址")
    return value


def visits(raw, key):
    value = raw.get(key)
    if value is None or value == "":
        return None
    integer_like = isinstance(value, int) or (isinstance(value, str) and value.strip().isdecimal())
    if isinstance(value, bool) or not integer_like:
        raise Rejected(f"到现场次数应为整数，实际是“{value}”")
    number = int(value)
    if not 0 <= number <= 9:
        raise Rejected(f"到现场次数 {number} 不合理")
    return number


def yes_no(raw, key, label):
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in YES_NO:
        raise Rejected(f"{label}应为“是”或“否”，实际是“{value}”")
    return YES_NO[value]


def phone(raw, key, label):
    """A phone field; some hold a whole paragraph about the counter, from which only the numbers are kept."""
    value = text(raw, key, label=label)
    if value is None or len(value) <= PHONE_MAX_LENGTH:
        return value
    numbers = list(dict.fromkeys(PHONE_PATTERN.findall(value)))
    if not numbers:
        raise Rejected(f"{label}超过 {PHONE_MAX_LENGTH} 个字符且找不到电话号码")
    return "、".join(numbers)[:PHONE_MAX_LENGTH]


def time_limit(value):
    """(working days, note): a plain `N(工作日)` gives days; `N(自然日)` and anything else a note."""
    if value is None or value == "":
        return None, None
    if not isinstance(value, str):
        raise Rejected("办结时限应为文本")
    match = TIME_LIMIT_PATTERN.fullmatch(value)
    if match and match.group(2) == "工作日":
        return int(match.group(1)), None
    if match:
        return None, f"{match.group(1)} 个自然日"
    return None, value.strip()


def time_limits(raw):
    legal_days, legal_note = time_limit(raw.get("time_limit_a_raw"))
    promised_days, promised_note = time_limit(raw.get("time_limit_b_raw"))
    labelled = (("法定办结时限", legal_note), ("承诺办结时限", promised_note))
    notes = [f"{label}：{note}" for label, note in labelled if note]
    return legal_days, promised_days, "；".join(notes) or None


def audiences(values):
    """The data's 自然人 / 企业法人 / 社会组织法人 / 行政机关 … folded into the two audiences."""
    result = []
    for value in values:
        audience = "自然人" if value in ("自然人", "个人") else "法人"
        if audience not in result:
            result.append(audience)
    return sorted(result, key=("自然人", "法人").index)


def level_of_region(region_code):
    """省 / 市 / 县 / 乡 from an administrative division code (6 or 12 digits)."""
    if not region_code or not region_code[:6].isdigit():
        return None
    if len(region_code) > 6 and region_code[6:9].strip("0"):
        return "乡"
    if region_code[2:6] == "0000":
        return "省"
    if region_code[4:6] == "00":
        return "市"
    return "县"


def region(raw):
    code = raw.get("area_code")
    name = raw.get("area")
    if code is not None and (not isinstance(code, str) or not code.isdecimal() or len(code) > 12):
        raise Rejected(f"行政区划代码“{code}”无效")
    if name is not None and not isinstance(name, str):
        raise Rejected("行政区划名称应为文本")
    return code, name


def local_department_name(name, region_name):
    """`区行政审批局` in 四川省广安市广安区 is 广安区行政审批局: the county data drops its own name."""
    if region_name and name.startswith("区") and "市" in region_name and region_name.endswith("区"):
        return region_name.rsplit("市", 1)[1] + name[1:]
    return name


# --- the two sources ---------------------------------------------------------------------------------

def guangdong(raw):
    """A record of matters-guangdong/gd_matters_normalized.jsonl."""
    code = matter_code(raw, "task_code")
    name = text(raw, "name", required=True, label="事项名称")
    region_code, region_name = region(raw)
    level_raw = text(raw, "level", label="层级")
    if level_raw is not None and level_raw not in LEVEL_NAMES:
        raise Rejected(f"未知的层级“{level_raw}”")
    themes = text_list(raw, "themes", "主题分类")
    short_name = text(raw, "short_name", label="简称")
    short_name = short_name.strip(QUOTES) or None if short_name else None
    base_name = text(raw, "base_name", label="基本目录名称")
    legal_days, promised_days, note = time_limits(raw)
    location = text(raw, "location", label="办理地点")
    if location and location.startswith(LOCATION_PREFIX):
        location = location[len(LOCATION_PREFIX):].strip() or None
    return MatterRecord(
        code=code, name=name, source="guangdong",
        department=text(raw, "department", required=True, label="实施部门"),
        region_code=region_code, region_name=region_name,
        level=LEVEL_NAMES[level_raw] if level_raw else level_of_region(region_code),
        matter_type=matter_type(raw, "type"),
        base_name=base_name if base_name != name else None,
        short_name=short_name if short_name != name else None,
        aliases=[short_name] if short_name and short_name != name else [],
        audiences=audiences(text_list(raw, "audience", "服务对象")),
        themes=themes,
        life_events=life_events_for(name, themes),
        conditions=text(raw, "conditions", label="受理条件"),
        legal_time_limit_days=legal_days, promised_time_limit_days=promised_days, time_limit_note=note,
        location=location,
        consult_phone=phone(raw, "consult_phone", "咨询电话"),
        complain_phone=phone(raw, "complain_phone", "投诉电话"),
        co_departments=text(raw, "co_departments", label="联办部门"),
        visits_required=visits(raw, "visits_required"),
        courier=yes_no(raw, "courier", "是否支持物流快递"),
        online_booking=yes_no(raw, "online_booking", "是否支持网上预约"),
        platform_name=text(raw, "platform", label="办理平台"),
        handling_url=handling_url(raw, "url"),
        materials=text_list(raw, "materials", "申请材料"),
    )


def guangan(raw):
    """A record of matters-guangan/guangan_matters.jsonl (names and links only)."""
    code = matter_code(raw, "item_code")
    name = text(raw, "name", required=True, label="事项名称")
    region_code, region_name = region(raw)
    group = text(raw, "group", label="事项分组")
    group = None if group in (None, "未分类") else group
    department = text(raw, "department", required=True, label="实施部门")
    return MatterRecord(
        code=code, name=name, source="guangan",
        department=local_department_name(department, region_name),
        region_code=region_code, region_name=region_name, level=level_of_region(region_code),
        matter_type=matter_type(raw, "task_type"),
        base_name=group if group != name else None,
        life_events=life_events_for(name, (), group),
        handling_url=handling_url(raw, "url"),
    )


SOURCES = (
    ("matters-guangdong/gd_matters_normalized.jsonl", guangdong),
    ("matters-guangan/guangan_matters.jsonl", guangan),
)


def check(raw, parse):
    """A MatterRecord, or raises Rejected: never anything else, whatever the input."""
    if isinstance(raw, Rejected):
        raise raw
    if not isinstance(raw, dict):
        raise Rejected(f"应为 JSON 对象，实际是 {type(raw).__name__}")
    return parse(raw)


def read_sources(data_dir):
    """All valid records of every source (first occurrence of a code wins) and every rejection."""
    records, rejections, seen = [], [], {}
    for relative, parse in SOURCES:
        path = data_dir / relative
        if not path.exists():
            rejections.append(Rejection(relative, 0, None, "文件不存在"))
            continue
        for line, raw in read_lines(path):
            code = (raw.get("task_code") or raw.get("item_code")) if isinstance(raw, dict) else None
            try:
                record = check(raw, parse)
            except Rejected as error:
                rejections.append(Rejection(relative, line, code if isinstance(code, str) else None, str(error)))
                continue
            if record.code in seen:
                rejections.append(Rejection(relative, line, record.code, f"事项编码与 {seen[record.code]} 重复"))
                continue
            seen[record.code] = f"{relative} 第 {line} 行"
            records.append(record)
    return records, rejections
