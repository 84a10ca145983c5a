"""The open datasets: what each one holds, field by field, and how its rows are read.

Rows are read in pages from a server-side cursor (`stream_results`) and child rows page by page,
so a download of any size holds one page in memory, never the whole dataset."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from portal.beijing_time import to_beijing, utc_bounds, utc_text, week_of
from portal.extensions import db
from portal.models import (
    Answer,
    Appeal,
    Department,
    Matter,
    MatterFaq,
    MatterFee,
    MatterItem,
    MatterLegalBasis,
    MatterMaterial,
    MatterStep,
    Platform,
    QueryLog,
    Rating,
    answer_matters,
)
from portal.models.base import STATUS_PUBLISHED, utcnow

PAGE = 1000  # rows read per round trip
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string | integer | number | boolean | date | datetime | array | object
    meaning: object  # a lazy string
    in_csv: bool = True  # nested lists go to related tables in CSV


@dataclass(frozen=True)
class Dataset:
    name: str  # URL name: /open/<name>, /open/<name>.csv …
    title: object
    description: object
    fields: tuple
    rows: object  # () -> iterator of dicts
    count: object  # () -> int
    fingerprint: object  # () -> tuple; changes whenever any row changes (ETag)
    modified: object  # () -> datetime | None
    keywords: tuple = ()
    parent: str | None = None  # a related table of another dataset (CSV of a nested list)
    feed_entity: str | None = None  # rows kept current by /open/changes for this entity
    frequency: str = "continuous"  # DCAT accrualPeriodicity word
    notes: tuple = field(default=())
    # False: read only from tables that do not move the content generation (the query log), so its
    # row count is kept across content changes until its fingerprint changes (portal/open_data/catalog.py)
    content: bool = True

    @property
    def csv_fields(self):
        return [item for item in self.fields if item.in_csv]


def _iso(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _pages(statement):
    """Rows of `statement` in pages of PAGE, from a server-side cursor where the database has one."""
    result = db.session.execute(statement.execution_options(stream_results=True, max_row_buffer=PAGE))
    yield from result.mappings().partitions(PAGE)


def _url_maker(endpoint, argument, marker="__OPEN_DATA_VALUE__"):
    """A fast url_for for one endpoint with one argument (a download may build 200,000 of them)."""
    template = url_for(endpoint, **{argument: marker}, _external=True)
    head, tail = template.split(str(marker))
    return lambda value: f"{head}{quote(str(value), safe='')}{tail}"


# ---------------------------------------------------------------- matters

MATTER_CHILDREN = {
    # dataset name: (JSON key, model, columns)
    "matter-materials": ("materials", MatterMaterial, (
        ("name", "string", _l("材料名称")), ("original_or_copy", "string", _l("原件/复印件")),
        ("medium", "string", _l("材料形式（纸质/电子）")), ("requirement", "string", _l("必要性（必要/非必要/容缺）")),
        ("copies", "integer", _l("份数")), ("source_channel", "string", _l("来源渠道")),
        ("blank_form_url", "string", _l("空白表格下载地址")), ("sample_url", "string", _l("示例样表地址")),
        ("note", "string", _l("填报须知")),
    )),
    "matter-steps": ("steps", MatterStep, (
        ("name", "string", _l("环节名称")), ("description", "string", _l("办理内容")),
        ("time_limit", "string", _l("环节时限")),
    )),
    "matter-fees": ("fees", MatterFee, (
        ("item", "string", _l("收费项目")), ("standard", "string", _l("收费标准")),
        ("basis", "string", _l("收费依据")), ("reduction", "string", _l("减免政策")),
    )),
    "matter-legal-bases": ("legal_bases", MatterLegalBasis, (
        ("title", "string", _l("法律法规名称")), ("article", "string", _l("条款内容")),
    )),
    "matter-faqs": ("faqs", MatterFaq, (
        ("question", "string", _l("常见问题")), ("answer", "string", _l("解答")),
    )),
    "matter-items": ("items", MatterItem, (
        ("code", "string", _l("办理项编码")), ("name", "string", _l("办理项名称")),
        ("situation", "string", _l("办理情形（新设/变更/延续/注销）")), ("handling_url", "string", _l("办理地址")),
    )),
}

MATTER_COLUMNS = (
    ("code", "string", _l("事项编码（实施编码），唯一")),
    ("name", "string", _l("事项名称")),
    ("base_name", "string", _l("基本目录名称")),
    ("short_name", "string", _l("俗称")),
    ("aliases", "array", _l("其他常用叫法（CSV 中为 JSON 数组）")),
    ("type", "string", _l("事项类型（行政许可、公共服务等）")),
    ("department", "string", _l("实施主体（部门名称）")),
    ("department_code", "string", _l("实施主体编码，对应部门数据集的 code")),
    ("co_departments", "string", _l("联办机构")),
    ("level", "string", _l("行使层级（省/市/县/乡）")),
    ("region_code", "string", _l("行政区划代码")),
    ("region_name", "string", _l("行政区划名称")),
    ("audiences", "array", _l("服务对象（自然人/法人）")),
    ("themes", "array", _l("主题分类")),
    ("life_events", "array", _l("所属“一件事”")),
    ("conditions", "string", _l("受理条件")),
    ("legal_time_limit_days", "integer", _l("法定办结时限（工作日）")),
    ("promised_time_limit_days", "integer", _l("承诺办结时限（工作日）")),
    ("time_limit_note", "string", _l("时限说明（无法读成工作日数时的原文）")),
    ("fee_free", "boolean", _l("是否免费（空表示未说明）")),
    ("location", "string", _l("办理地点")),
    ("office_hours", "string", _l("办理时间")),
    ("consult_phone", "string", _l("咨询电话")),
    ("complain_phone", "string", _l("监督投诉电话")),
    ("handling_type", "string", _l("办件类型（即办件/承诺件）")),
    ("online_depth", "integer", _l("网上办理深度（0 为仅线下，4 为全程网办）")),
    ("visits_required", "integer", _l("到办事现场次数")),
    ("courier", "boolean", _l("是否支持物流快递")),
    ("online_booking", "boolean", _l("是否支持网上预约")),
    ("platform_code", "string", _l("办理系统编码，对应部门业务系统数据集的 code")),
    ("platform_name", "string", _l("办理系统名称")),
    ("handling_url", "string", _l("PC 端在线办理地址")),
    ("mobile_handling_url", "string", _l("移动端在线办理地址")),
    ("url", "string", _l("门户上的办事指南页面")),
    ("version", "integer", _l("版本号，每次保存加一；与变更流中的 version 对应")),
    ("published_at", "datetime", _l("发布时间（UTC）")),
)


MATTER_SELECTED = (
    "id", "code", "name", "base_name", "short_name", "aliases", "matter_type", "co_departments", "level",
    "region_code", "region_name", "audiences", "themes", "life_events", "conditions", "legal_time_limit_days",
    "promised_time_limit_days", "time_limit_note", "fee_free", "location", "office_hours", "consult_phone",
    "complain_phone", "handling_type", "online_depth", "visits_required", "courier", "online_booking",
    "platform_name", "handling_url", "mobile_handling_url", "lock_version", "published_at",
)


def _published_matters():
    return Matter.status == STATUS_PUBLISHED


def matter_rows(codes=None):
    """Every published matter (or those with `codes`) with its child lists nested, in id order."""
    guide_url = _url_maker("catalogue.guide", "code")
    statement = (
        select(*[getattr(Matter, name) for name in MATTER_SELECTED],
               Department.name.label("department_name"), Department.code.label("dept_code"),
               Platform.code.label("platform_code_"), Platform.name.label("registry_platform_name"))
        .join(Department, Department.id == Matter.department_id)
        .outerjoin(Platform, Platform.id == Matter.platform_id)
        .where(_published_matters())
        .order_by(Matter.id)
    )
    if codes is not None:
        statement = statement.where(Matter.code.in_(list(codes)))
    for page in _pages(statement):
        children = _matter_children([row["id"] for row in page])
        for row in page:
            yield {
                "code": row["code"], "name": row["name"], "base_name": row["base_name"],
                "short_name": row["short_name"], "aliases": row["aliases"] or [], "type": row["matter_type"],
                "department": row["department_name"], "department_code": row["dept_code"],
                "co_departments": row["co_departments"], "level": row["level"],
                "region_code": row["region_code"], "region_name": row["region_name"],
                "audiences": row["audiences"] or [], "themes": row["themes"] or [],
                "life_events": row["life_events"] or [], "conditions": row["conditions"],
                "legal_time_limit_days": row["legal_time_limit_days"],
                "promised_time_limit_days": row["promised_time_limit_days"],
                "time_limit_note": row["time_limit_note"], "fee_free": row["fee_free"],
                "location": row["location"], "office_hours": row["office_hours"],
                "consult_phone": row["consult_phone"], "complain_phone": row["complain_phone"],
                "handling_type": row["handling_type"], "online_depth": row["online_depth"],
                "visits_required": row["visits_required"], "courier": row["courier"],
                "online_booking": row["online_booking"], "platform_code": row["platform_code_"],
                "platform_name": row["registry_platform_name"] or row["platform_name"],
                "handling_url": row["handling_url"], "mobile_handling_url": row["mobile_handling_url"],
                "url": guide_url(row["code"]), "version": row["lock_version"],
                "published_at": _iso(row["published_at"]),
                **{key: children[key].get(row["id"], []) for key, _model, _columns in MATTER_CHILDREN.values()},
            }


def _matter_children(matter_ids):
    """The child lists of one page of matters (ids ascending): one range scan per child table,
    rows of matters outside the page (unpublished ones in between) left aside."""
    wanted, low, high = set(matter_ids), matter_ids[0], matter_ids[-1]
    found = {}
    for key, model, columns in MATTER_CHILDREN.values():
        by_matter = found.setdefault(key, {})
        names = [name for name, _type, _meaning in columns]
        statement = (select(model.matter_id, *[getattr(model, name) for name in names])
                     .where(model.matter_id.between(low, high)).order_by(model.matter_id, model.position, model.id))
        for row in db.session.execute(statement):
            if row[0] in wanted:
                by_matter.setdefault(row[0], []).append(dict(zip(names, row[1:], strict=True)))
    return found


def _child_rows(model, columns):
    def rows():
        names = [name for name, _type, _meaning in columns]
        statement = (
            select(Matter.code.label("matter_code"), model.position, *[getattr(model, name) for name in names])
            .join(Matter, Matter.id == model.matter_id).where(_published_matters())
            .order_by(model.matter_id, model.position, model.id)
        )
        for page in _pages(statement):
            for row in page:
                yield {"matter_code": row["matter_code"], "position": row["position"] + 1,
                       **{name: row[name] for name in names}}
    return rows


def _matters_fingerprint():
    published = db.session.execute(select(
        func.count(Matter.id), func.coalesce(func.sum(Matter.lock_version), 0), func.max(Matter.updated_at),
    ).where(_published_matters())).one()
    organisations = db.session.execute(select(
        select(func.max(Department.updated_at)).scalar_subquery(),
        select(func.max(Platform.updated_at)).scalar_subquery(),
    )).one()
    return (*published, *organisations)


def _matters_modified():
    return db.session.scalar(select(func.max(Matter.updated_at)).where(_published_matters()))


def _matters_count():
    return db.session.scalar(select(func.count(Matter.id)).where(_published_matters()))


# ---------------------------------------------------------------- departments and platforms

def department_rows():
    site_url = _url_maker("dept_sites.home", "slug")
    matters = (select(Matter.department_id, func.count(Matter.id).label("n")).where(_published_matters())
               .group_by(Matter.department_id).subquery())
    statement = (select(Department.__table__, func.coalesce(matters.c.n, 0).label("published_matters"))
                 .outerjoin(matters, matters.c.department_id == Department.id).order_by(Department.id))
    for page in _pages(statement):
        for row in page:
            yield {
                "code": row["code"], "name": row["name"], "level": row["level"],
                "region_code": row["region_code"], "region_name": row["region_name"],
                "address": row["address"], "phone": row["phone"], "office_hours": row["office_hours"],
                "website": row["website"], "leaders": row["leaders"] or [],
                "published_matters": row["published_matters"], "url": site_url(row["slug"]),
            }


DEPARTMENT_FIELDS = (
    ("code", "string", _l("部门编码，唯一")), ("name", "string", _l("部门名称")),
    ("level", "string", _l("层级（省/市/县/乡）")), ("region_code", "string", _l("行政区划代码")),
    ("region_name", "string", _l("行政区划名称")), ("address", "string", _l("办公地址")),
    ("phone", "string", _l("联系电话")), ("office_hours", "string", _l("办公时间")),
    ("website", "string", _l("网站")),
    ("leaders", "array", _l("领导信息：姓名、职务、分工（CSV 中为 JSON）")),
    ("published_matters", "integer", _l("已发布事项数")), ("url", "string", _l("门户上的部门网站")),
)


def platform_rows():
    matters = (select(Matter.platform_id, func.count(Matter.id).label("n")).where(_published_matters())
               .group_by(Matter.platform_id).subquery())
    statement = (
        select(Platform.code, Platform.name, Platform.base_url, Platform.mobile_base_url, Platform.sso_client_id,
               Platform.is_down, Platform.downtime_message, Department.code.label("department_code"),
               Department.name.label("department"), func.coalesce(matters.c.n, 0).label("published_matters"))
        .outerjoin(Department, Department.id == Platform.department_id)
        .outerjoin(matters, matters.c.platform_id == Platform.id).order_by(Platform.id)
    )
    for page in _pages(statement):
        for row in page:
            yield {
                "code": row["code"], "name": row["name"], "department_code": row["department_code"],
                "department": row["department"], "base_url": row["base_url"],
                "mobile_base_url": row["mobile_base_url"], "sso_connected": bool(row["sso_client_id"]),
                "is_down": row["is_down"], "downtime_message": row["downtime_message"],
                "published_matters": row["published_matters"],
            }


PLATFORM_FIELDS = (
    ("code", "string", _l("业务系统编码，唯一")), ("name", "string", _l("业务系统名称")),
    ("department_code", "string", _l("主管部门编码")), ("department", "string", _l("主管部门名称")),
    ("base_url", "string", _l("系统地址（协议与主机），在线办理只跳转到登记的地址")),
    ("mobile_base_url", "string", _l("移动端地址")),
    ("sso_connected", "boolean", _l("是否对接统一身份认证（单点登录）")),
    ("is_down", "boolean", _l("当前是否停机维护")), ("downtime_message", "string", _l("停机说明")),
    ("published_matters", "integer", _l("在此系统办理的已发布事项数")),
)


def _organisation_fingerprint(model):
    def fingerprint():
        return tuple(db.session.execute(select(func.count(model.id), func.max(model.updated_at))).one()) + (
            _matters_fingerprint()[:2])
    return fingerprint


def _modified(model):
    return lambda: db.session.scalar(select(func.max(model.updated_at)))


def _count(model, *conditions):
    return lambda: db.session.scalar(select(func.count(model.id)).where(*conditions))


# ---------------------------------------------------------------- hotline answers

def answer_rows(ids=None):
    answer_url = _url_maker("knowledge.faq_answer", "answer_id", marker=987654321987)
    statement = (
        select(Answer.id, Answer.question, Answer.public_answer, Answer.category, Answer.valid_until,
               Answer.lock_version, Answer.published_at, Department.code.label("department_code"),
               Department.name.label("department"))
        .outerjoin(Department, Department.id == Answer.department_id)
        .where(_open_answers()).order_by(Answer.id)
    )
    if ids is not None:
        statement = statement.where(Answer.id.in_(list(ids)))
    for page in _pages(statement):
        codes = {}
        linked = (select(answer_matters.c.answer_id, Matter.code).join(Matter, Matter.id == answer_matters.c.matter_id)
                  .where(answer_matters.c.answer_id.in_([row["id"] for row in page]), _published_matters())
                  .order_by(answer_matters.c.answer_id, Matter.code))
        for answer_id, code in db.session.execute(linked):
            codes.setdefault(answer_id, []).append(code)
        for row in page:
            yield {
                "id": row["id"], "question": row["question"], "answer": row["public_answer"],
                "category": row["category"], "department_code": row["department_code"],
                "department": row["department"], "matters": codes.get(row["id"], []),
                "valid_until": _iso(row["valid_until"]), "version": row["lock_version"],
                "published_at": _iso(row["published_at"]), "url": answer_url(row["id"]),
            }


ANSWER_FIELDS = (
    ("id", "integer", _l("问答编号，唯一")), ("question", "string", _l("问题")),
    ("answer", "string", _l("公开答复（HTML）")), ("category", "string", _l("分类")),
    ("department_code", "string", _l("负责部门编码")), ("department", "string", _l("负责部门名称")),
    ("matters", "array", _l("答复引用的已发布事项编码")), ("valid_until", "date", _l("有效期至")),
    ("version", "integer", _l("版本号；与变更流中的 version 对应")),
    ("published_at", "datetime", _l("发布时间（UTC）")),
    ("url", "string", _l("门户上的问答页面")),
)


def _open_answers():
    """Published answers meant for the public (imported hotline replies stay internal)."""
    return (Answer.status == STATUS_PUBLISHED) & Answer.public.is_(True)


def _answers_fingerprint():
    return tuple(db.session.execute(select(
        func.count(Answer.id), func.coalesce(func.sum(Answer.lock_version), 0), func.max(Answer.updated_at),
    ).where(_open_answers())).one()) + _matters_fingerprint()[:2]


# ---------------------------------------------------------------- 好差评 per matter and month

RATING_FIELDS = (
    ("matter_code", "string", _l("事项编码")), ("matter_name", "string", _l("事项名称")),
    ("department_code", "string", _l("实施主体编码")), ("month", "string", _l("月份（YYYY-MM，北京时间）")),
    ("evaluations", "integer", _l("评价数（申诉复核后撤销的评价不计）")),
    ("very_satisfied", "integer", _l("非常满意")), ("satisfied", "integer", _l("满意")),
    ("basically_satisfied", "integer", _l("基本满意")), ("dissatisfied", "integer", _l("不满意")),
    ("very_dissatisfied", "integer", _l("非常不满意")),
    ("satisfaction_rate", "number", _l("满意率（基本满意及以上所占百分比）")),
)
LEVEL_COLUMNS = {5: "very_satisfied", 4: "satisfied", 3: "basically_satisfied", 2: "dissatisfied",
                 1: "very_dissatisfied"}


def rating_rows():
    statement = (
        select(Matter.code, Matter.name, Department.code.label("department_code"), Rating.level, Rating.created_at)
        .join(Matter, Matter.id == Rating.matter_id).join(Department, Department.id == Matter.department_id)
        .where(Rating.counted.is_(True), _published_matters())
        .order_by(Matter.code, Rating.created_at)
    )
    current, months = None, {}
    for page in _pages(statement):
        for row in page:
            if current is not None and row["code"] != current[0]:
                yield from _rating_months(current, months)
                months = {}
            current = (row["code"], row["name"], row["department_code"])
            month = to_beijing(row["created_at"]).strftime("%Y-%m")
            counts = months.setdefault(month, dict.fromkeys(LEVEL_COLUMNS, 0))
            counts[row["level"]] += 1
    if current is not None:
        yield from _rating_months(current, months)


def _rating_months(matter, months):
    code, name, department_code = matter
    for month, counts in sorted(months.items()):
        total = sum(counts.values())
        yield {
            "matter_code": code, "matter_name": name, "department_code": department_code, "month": month,
            "evaluations": total, **{LEVEL_COLUMNS[level]: counts[level] for level in LEVEL_COLUMNS},
            "satisfaction_rate": round(100 * (counts[5] + counts[4] + counts[3]) / total, 1),
        }


def _ratings_fingerprint():
    return tuple(db.session.execute(select(
        func.count(Rating.id), func.sum(case((Rating.counted.is_(True), 1), else_=0)), func.max(Rating.created_at),
        select(func.max(Appeal.decided_at)).scalar_subquery(),
    )).one()) + _matters_fingerprint()[:2]


def _ratings_count():
    return sum(1 for _row in rating_rows())


# ---------------------------------------------------------------- search statistics per week

SEARCH_FIELDS = (
    ("week", "string", _l("ISO 周（如 2026-W48），周一至周日，北京时间")),
    ("list", "string", _l("top：热门搜索词；zero_result：无结果搜索词")),
    ("rank", "integer", _l("当周排名")),
    ("query", "string", _l("搜索词（已去除可能识别个人的内容）")),
    ("searches", "integer", _l("当周搜索次数（只计第一页）")),
    ("zero_result_searches", "integer", _l("其中无结果的次数")),
)
TOP_PER_WEEK = 50
# Anything that could identify a person: numbers of five digits or more (phones, ID card and case
# numbers, licence plates' digits), e-mail addresses, ID card patterns, and long free text.
IDENTIFYING = re.compile(r"\d{5,}|@|[0-9]{6,17}[0-9Xx]|[A-Za-z]\d{4,}|[\u4e00-\u9fff][A-Z][·•]?[A-Z0-9]{5}")
MAX_QUERY_LENGTH = 30


def publishable_query(query):
    query = (query or "").strip()
    return bool(query) and len(query) <= MAX_QUERY_LENGTH and not IDENTIFYING.search(query)


def _this_week_start_utc():
    """UTC time of this week's Monday 00:00 in Beijing: weeks are published once complete."""
    monday = week_of(utcnow())
    return utc_bounds(monday, monday)[0]


def search_rows():
    minimum = current_app.config["OPEN_DATA_MIN_QUERY_COUNT"]
    statement = (
        select(QueryLog.at, QueryLog.query, QueryLog.results)
        .where(QueryLog.page == 1, QueryLog.at < _this_week_start_utc()).order_by(QueryLog.at)
    )
    week, counts = None, {}
    for page in _pages(statement):
        for row in page:
            start = week_of(row["at"])
            if week is not None and start != week:
                yield from _week_rows(week, counts, minimum)
                counts = {}
            week = start
            tally = counts.setdefault(row["query"], [0, 0])
            tally[0] += 1
            tally[1] += row["results"] == 0
    if week is not None:
        yield from _week_rows(week, counts, minimum)


def _week_rows(week, counts, minimum):
    year, number, _day = week.isocalendar()
    label = f"{year}-W{number:02d}"
    kept = [(query, tally) for query, tally in counts.items() if publishable_query(query)]
    top = sorted((item for item in kept if item[1][0] >= minimum), key=lambda item: (-item[1][0], item[0]))
    zero = sorted((item for item in kept if item[1][1] >= minimum), key=lambda item: (-item[1][1], item[0]))
    for name, ranked in (("top", top), ("zero_result", zero)):
        for rank, (query, (searches, zero_results)) in enumerate(ranked[:TOP_PER_WEEK], start=1):
            yield {"week": label, "list": name, "rank": rank, "query": query, "searches": searches,
                   "zero_result_searches": zero_results}


def _search_fingerprint():
    before = _this_week_start_utc()
    return (before, current_app.config["OPEN_DATA_MIN_QUERY_COUNT"], *db.session.execute(
        select(func.count(QueryLog.id), func.max(QueryLog.at)).where(QueryLog.at < before)).one())


def _search_modified():
    return db.session.scalar(select(func.max(QueryLog.at)).where(QueryLog.at < _this_week_start_utc()))


# ---------------------------------------------------------------- 政民互动: published messages

MESSAGE_FIELDS = (
    ("id", "integer", _l("留言编号，唯一")), ("kind", "string", _l("类型（咨询/求助/投诉/建议/领导信箱）")),
    ("title", "string", _l("标题（公开版本，个人信息已遮盖）")),
    ("body", "string", _l("内容（公开版本，个人信息已遮盖）")),
    ("category", "string", _l("分类")), ("department_code", "string", _l("办理部门编码")),
    ("department", "string", _l("办理部门名称")), ("received_at", "datetime", _l("收到时间（UTC）")),
    ("replied_at", "datetime", _l("答复时间（UTC）")),
    ("replies", "array", _l("已发出的答复：答复单位、内容、时间（CSV 中为 JSON）")),
    ("version", "integer", _l("版本号；与变更流中的 version 对应")), ("url", "string", _l("门户上的留言页面")),
)


def message_rows(ids=None):
    from portal.interaction.service import public_condition
    from portal.models import Message, MessageReply

    message_url = _url_maker("interaction.message", "message_id", marker=987654321987)
    statement = (
        select(Message.id, Message.kind, Message.public_title, Message.public_body, Message.category,
               Message.received_at, Message.replied_at, Message.lock_version,
               Department.code.label("department_code"), Department.name.label("department"))
        .outerjoin(Department, Department.id == Message.department_id)
        .where(public_condition()).order_by(Message.id)
    )
    if ids is not None:
        statement = statement.where(Message.id.in_(list(ids)))
    for page in _pages(statement):
        low, high = page[0]["id"], page[-1]["id"]
        replies = {}
        for reply in db.session.execute(
                select(MessageReply.message_id, MessageReply.unit_name, MessageReply.public_body,
                       MessageReply.reviewed_at)
                .where(MessageReply.message_id.between(low, high), MessageReply.status == "approved")
                .order_by(MessageReply.message_id, MessageReply.id)):
            replies.setdefault(reply[0], []).append(
                {"unit": reply[1], "body": reply[2], "replied_at": _iso(reply[3])})
        for row in page:
            yield {
                "id": row["id"], "kind": row["kind"], "title": row["public_title"], "body": row["public_body"],
                "category": row["category"], "department_code": row["department_code"],
                "department": row["department"], "received_at": _iso(row["received_at"]),
                "replied_at": _iso(row["replied_at"]), "replies": replies.get(row["id"], []),
                "version": row["lock_version"], "url": message_url(row["id"]),
            }


def _messages_fingerprint():
    from portal.interaction.service import public_condition
    from portal.models import Message, MessageReply

    return tuple(db.session.execute(select(
        func.count(Message.id), func.coalesce(func.sum(Message.lock_version), 0), func.max(Message.published_at),
        select(func.max(MessageReply.reviewed_at)).scalar_subquery(),
    ).where(public_condition())).one()) + tuple(db.session.execute(select(func.max(Department.updated_at))).one())


def _messages_count():
    from portal.interaction.service import public_condition
    from portal.models import Message

    return db.session.scalar(select(func.count(Message.id)).where(public_condition()))


def _messages_modified():
    from portal.interaction.service import public_condition
    from portal.models import Message

    return db.session.scalar(select(func.max(Message.published_at)).where(public_condition()))


# ---------------------------------------------------------------- the registry

def _fields(columns):
    return tuple(Field(name, kind, meaning, in_csv=True) for name, kind, meaning in columns)


def _matter_fields():
    nested = tuple(
        Field(key, "array", _l("%(title)s（仅 JSON；CSV 见相关数据表 %(table)s）", title=DATASET_TITLES[name],
                                table=name), in_csv=False)
        for name, (key, _model, _columns) in MATTER_CHILDREN.items()
    )
    return _fields(MATTER_COLUMNS) + nested


DATASET_TITLES = {
    "matter-materials": _l("申请材料"), "matter-steps": _l("办理流程"), "matter-fees": _l("收费项目"),
    "matter-legal-bases": _l("设定依据"), "matter-faqs": _l("常见问题"), "matter-items": _l("业务办理项"),
}


def _build_registry():
    datasets = [
        Dataset(
            "matters", _l("政务服务事项目录"),
            _l("每个已发布的政务服务事项一行，带办事指南的全部字段。JSON 与 JSON Lines 中，申请材料、流程、收费、"
               "设定依据、常见问题和业务办理项嵌套在每行中；CSV 中它们是单独的相关数据表，以 matter_code 关联。"),
            _matter_fields(), matter_rows, _matters_count, _matters_fingerprint, _matters_modified,
            keywords=(_l("政务服务"), _l("办事指南"), _l("事项目录")), feed_entity="matter",
        ),
    ]
    for name, (_key, model, columns) in MATTER_CHILDREN.items():
        datasets.append(Dataset(
            name, _l("政务服务事项：%(title)s", title=DATASET_TITLES[name]),
            _l("已发布事项的%(title)s，每条一行，按事项和顺序排列；matter_code 对应事项目录的 code。",
               title=DATASET_TITLES[name]),
            _fields((("matter_code", "string", _l("事项编码")),
                     ("position", "integer", _l("在事项中的顺序，从 1 开始")), *columns)),
            _child_rows(model, columns), _count(model, model.matter_id.in_(select(Matter.id).where(
                _published_matters()))),
            _matters_fingerprint, _matters_modified, parent="matters",
        ))
    datasets += [
        Dataset(
            "departments", _l("部门"),
            _l("门户上的全部部门（实施主体）：名称、层级、区划、联系方式和已发布事项数。"),
            _fields(DEPARTMENT_FIELDS), department_rows, _count(Department), _organisation_fingerprint(Department),
            _modified(Department), keywords=(_l("部门"), _l("机构")),
        ),
        Dataset(
            "platforms", _l("部门业务系统"),
            _l("在线办理跳转到的部门业务系统登记表（公开字段）：名称、地址、主管部门、是否对接单点登录、是否停机。"),
            _fields(PLATFORM_FIELDS), platform_rows, _count(Platform), _organisation_fingerprint(Platform),
            _modified(Platform), keywords=(_l("业务系统"), _l("在线办理")),
        ),
        Dataset(
            "answers", _l("12345 热线知识库问答"),
            _l("已发布的 12345 热线问答：问题、公开答复、分类、负责部门和引用的事项。内部备注和来电人的原话不公开。"),
            _fields(ANSWER_FIELDS), answer_rows, _count(Answer, _open_answers()),
            _answers_fingerprint, lambda: db.session.scalar(
                select(func.max(Answer.updated_at)).where(_open_answers())),
            keywords=(_l("12345"), _l("热线"), _l("问答")), feed_entity="answer",
        ),
        Dataset(
            "messages", _l("政民互动留言"),
            _l("已答复、且留言人同意公开的政民互动留言及其答复。只有公开版本：电话、证件号码、姓名等个人信息已遮盖，"
               "不含留言人、联系电话和未发出的答复。"),
            _fields(MESSAGE_FIELDS), message_rows, _messages_count, _messages_fingerprint, _messages_modified,
            keywords=(_l("政民互动"), _l("留言"), _l("12345")), feed_entity="message",
        ),
        Dataset(
            "ratings-monthly", _l("好差评月度统计"),
            _l("每个已发布事项每月收到的好差评数量（按五个等级）和满意率。只有统计数，不含评价人和评价内容；"
               "申诉复核成立后撤销的评价不计入。"),
            _fields(RATING_FIELDS), rating_rows, _ratings_count, _ratings_fingerprint,
            lambda: db.session.scalar(select(func.max(Rating.created_at))),
            keywords=(_l("好差评"), _l("满意度")), frequency="monthly",
        ),
        Dataset(
            "search-weekly", _l("搜索统计（每周）"),
            _l("每个完整自然周的热门搜索词和无结果搜索词，各取前 50。门户从不记录搜索者；"
               "公开前还去掉了含五位以上数字、电子邮箱、证件号码样式或超过 30 个字的搜索词，"
               "当周搜索次数少于设定门槛（默认 5 次）的词不公开。"),
            _fields(SEARCH_FIELDS), search_rows, lambda: sum(1 for _row in search_rows()), _search_fingerprint,
            _search_modified, keywords=(_l("搜索"), _l("统计")), frequency="weekly", content=False,
        ),
    ]
    return {dataset.name: dataset for dataset in datasets}


_REGISTRY = {}


def registry():
    if not _REGISTRY:
        _REGISTRY.update(_build_registry())
    return _REGISTRY


def get(name):
    return registry().get(name)


def main_datasets():
    return [dataset for dataset in registry().values() if dataset.parent is None]


def related(name):
    return [dataset for dataset in registry().values() if dataset.parent == name]
