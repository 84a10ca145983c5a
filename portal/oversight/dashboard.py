"""The administrators' dashboard (/admin/): one table per question, each drawn as a chart by pygal
and downloadable as CSV. Weeks are Beijing weeks (Monday to Sunday); every time is Beijing time.
Department staff see their own department's figures; searches and calls are the whole portal's
and shown to administrators only."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from portal.beijing_time import BEIJING, beijing_today, utc_bounds, week_of
from portal.extensions import db
from portal.models import (
    AuditLog,
    CallLog,
    Department,
    HandOff,
    LinkThrough,
    Matter,
    Platform,
    PlatformCheck,
    QueryLog,
    Rating,
    Rectification,
    utcnow,
)
from portal.models.base import STATUSES
from portal.models.catalogue import RATING_LEVELS

DEFAULT_WEEKS = 8
MAX_DAYS = 366
STATUS_LABELS = {"draft": _l("草稿"), "in_review": _l("审核中"), "published": _l("已发布"), "withdrawn": _l("已撤回")}
RECTIFICATION_LABELS = {"open": _l("待整改"), "overdue": _l("已逾期"), "rectified": _l("已整改"),
                        "appealed": _l("申诉中"), "void": _l("申诉成立")}


@dataclass
class Scope:
    """What one viewer sees: every department (administrators) or one."""

    first: date
    last: date
    department_id: int | None = None
    admin: bool = True

    @property
    def bounds(self):
        return utc_bounds(self.first, self.last)

    def weeks(self):
        monday = self.first - timedelta(days=self.first.weekday())
        weeks = []
        while monday <= self.last:
            weeks.append(monday)
            monday += timedelta(days=7)
        return weeks


def _week(column, scope):
    """A SQL expression for the Beijing week (its index in scope.weeks()) of a naive-UTC column, for GROUP BY:
    one CASE over the weeks' UTC ends, the same on SQLite and PostgreSQL (labelled, so GROUP BY names it rather than
    repeating its parameters). Rows are already within scope.bounds."""
    ends = [datetime.combine(monday + timedelta(days=7), time.min) - BEIJING for monday in scope.weeks()]
    return case(*[(column < end, index) for index, end in enumerate(ends)], else_=len(ends) - 1).label("week")


def _by_week(scope, rows):
    """{Monday: (figures…)} from rows of (week index, figures…)."""
    weeks = scope.weeks()
    return {weeks[index]: tuple(figures) for index, *figures in rows}


def _count_if(condition):
    return func.count(case((condition, 1)))


def week_label(monday):
    return str(_l("%(monday)s 周", monday=monday.isoformat()))


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list
    chart: str = "bar"  # bar | stacked | line | hbar
    series: list = field(default_factory=list)  # indexes of the columns drawn (default: every column after the first)
    note: str = ""
    percent: bool = False

    @property
    def drawn(self):
        return self.series or list(range(1, len(self.columns)))


def default_range(today=None):
    today = today or beijing_today()
    return today - timedelta(days=7 * DEFAULT_WEEKS - 1), today


def _matter_filter(query, scope):
    return query.where(Matter.department_id == scope.department_id) if scope.department_id else query


def matters_by_status(scope):
    query = _matter_filter(select(Matter.status, func.count()), scope).group_by(Matter.status)
    counts = dict(db.session.execute(query).all())
    return Table("matters_status", _l("事项状态（当前）"), [_l("状态"), _l("事项数")],
                 [[STATUS_LABELS[status], counts.get(status, 0)] for status in STATUSES])


def matters_by_department(scope, limit=15):
    query = _matter_filter(select(Department.name, Matter.status, func.count()).join(Matter.department), scope)
    counts = defaultdict(Counter)
    for name, status, count in db.session.execute(query.group_by(Department.name, Matter.status)):
        counts[name][status] += count
    ranked = sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0]))[:limit]
    return Table("matters_department", _l("各部门事项（事项最多的 %(n)s 个部门，当前）", n=limit),
                 [_l("部门"), *[STATUS_LABELS[s] for s in STATUSES]],
                 [[name, *[counter.get(s, 0) for s in STATUSES]] for name, counter in ranked], chart="hbar")


def _scoped_entity_ids(scope):
    """Ids of the department's matters, for filtering audit rows (None: no filter)."""
    if not scope.department_id:
        return None
    return {str(i) for i in db.session.scalars(select(Matter.id).where(Matter.department_id == scope.department_id))}


def publishing(scope):
    start, end = scope.bounds
    kinds = ("matter", "answer", "article")
    entries = db.session.execute(
        select(AuditLog.at, AuditLog.action, AuditLog.entity_type, AuditLog.entity_id)
        .where(AuditLog.entity_type.in_(kinds), AuditLog.action.in_(("submit", "approve", "publish", "schedule")),
               AuditLog.at < end, AuditLog.at >= start - timedelta(days=90))
        .order_by(AuditLog.at, AuditLog.id)).all()
    allowed = _scoped_entity_ids(scope)
    submitted_at, published, submitted, waits = {}, Counter(), Counter(), defaultdict(list)
    for at, action, entity_type, entity_id in entries:
        if allowed is not None and (entity_type != "matter" or entity_id not in allowed):
            continue
        key = (entity_type, entity_id)
        in_range = at >= start
        if action == "submit":
            submitted_at[key] = at
            if in_range:
                submitted[week_of(at)] += 1
        elif action in ("approve", "schedule", "publish") and in_range:
            if action != "schedule":
                published[week_of(at)] += 1
            if key in submitted_at and action != "publish":
                waits[week_of(at)].append((at - submitted_at.pop(key)).total_seconds() / 3600)
    rows = [[week_label(week), submitted.get(week, 0), published.get(week, 0),
             round(sum(waits[week]) / len(waits[week]), 1) if waits.get(week) else 0] for week in scope.weeks()]
    return Table("publishing", _l("每周送审、发布与平均审核等待时间"),
                 [_l("周（北京时间）"), _l("送审"), _l("发布"), _l("平均审核等待（小时）")], rows, chart="line",
                 series=[1, 2], note=_l("审核等待：从送审到审核通过的时间，按审核通过所在的周计。"))


OTHERS = "其他平台"


def link_throughs(scope, top=5):
    start, end = scope.bounds
    week = _week(LinkThrough.at, scope)
    query = (select(week, Platform.name, func.count()).join(Platform, Platform.id == LinkThrough.platform_id)
             .where(LinkThrough.at >= start, LinkThrough.at < end).group_by(week, Platform.name))
    if scope.department_id:
        query = query.join(Matter, Matter.id == LinkThrough.matter_id).where(
            Matter.department_id == scope.department_id)
    rows = db.session.execute(query).all()
    totals = Counter()
    for _, name, count in rows:
        totals[name] += count
    leaders = [name for name, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:top]]
    weeks, per_week = scope.weeks(), defaultdict(Counter)
    for index, name, count in rows:
        per_week[weeks[index]][name if name in leaders else OTHERS] += count
    columns = [*leaders, *([OTHERS] if len(totals) > top else [])]
    return Table("link_throughs", _l("每周办理跳转（跳转最多的 %(n)s 个平台）", n=top),
                 [_l("周（北京时间）"), *columns],
                 [[week_label(week), *[per_week[week].get(name, 0) for name in columns]] for week in scope.weeks()],
                 chart="stacked")


def searches(scope):
    start, end = scope.bounds
    week = _week(QueryLog.at, scope)
    figures = _by_week(scope, db.session.execute(
        select(week, func.count(), _count_if(QueryLog.results == 0))
        .where(QueryLog.at >= start, QueryLog.at < end).group_by(week)))
    rows = []
    for w in scope.weeks():
        total, zero = figures.get(w, (0, 0))
        rows.append([week_label(w), total, zero, round(100 * zero / total, 1) if total else 0])
    return Table("searches", _l("每周搜索次数与零结果率"),
                 [_l("周（北京时间）"), _l("搜索次数"), _l("零结果次数"), _l("零结果率（%）")], rows,
                 chart="line", series=[1, 2])


def ratings(scope):
    start, end = scope.bounds
    query = select(Rating.level, func.count()).where(
        Rating.counted.is_(True), Rating.created_at >= start, Rating.created_at < end).group_by(Rating.level)
    if scope.department_id:
        query = query.join(Matter, Matter.id == Rating.matter_id).where(Matter.department_id == scope.department_id)
    counts = dict(db.session.execute(query).all())
    return Table("ratings", _l("好差评分布（所选期间）"), [_l("评价"), _l("数量")],
                 [[label, counts.get(level, 0)] for level, label in RATING_LEVELS.items()])


def rectifications(scope):
    today = beijing_today()
    status = case(((Rectification.status == "open") & (Rectification.due_on < today), "overdue"),
                  else_=Rectification.status).label("status")
    query = select(status, func.count()).group_by(status)
    if scope.department_id:
        query = query.where(Rectification.department_id == scope.department_id)
    counts = dict(db.session.execute(query).all())
    return Table("rectifications", _l("差评整改（当前）"), [_l("状态"), _l("数量")],
                 [[label, counts.get(key, 0)] for key, label in RECTIFICATION_LABELS.items()])


def hotline(scope):
    start, end = scope.bounds
    now = utcnow()
    calls = {}
    if scope.admin and not scope.department_id:
        week = _week(CallLog.at, scope)
        calls = _by_week(scope, db.session.execute(
            select(week, func.count()).where(CallLog.at >= start, CallLog.at < end).group_by(week)))
    week, replied, due = _week(HandOff.created_at, scope), HandOff.replied_at, HandOff.reply_due
    query = (select(week, func.count(), _count_if(replied.is_not(None) & (replied <= due)),
                    _count_if(replied.is_not(None) & (replied > due)), _count_if(replied.is_(None) & (due < now)))
             .where(HandOff.created_at >= start, HandOff.created_at < end).group_by(week))
    if scope.department_id:
        query = query.where(HandOff.department_id == scope.department_id)
    handoffs = _by_week(scope, db.session.execute(query))
    columns = [_l("周（北京时间）"), _l("来电"), _l("转办"), _l("按时答复"), _l("逾期答复"), _l("逾期未答复")]
    rows = [[week_label(w), *calls.get(w, (0,)), *handoffs.get(w, (0, 0, 0, 0))] for w in scope.weeks()]
    if not (scope.admin and not scope.department_id):
        columns, rows = [columns[0], *columns[2:]], [[row[0], *row[2:]] for row in rows]
    return Table("hotline", _l("12345 每周来电与转办答复（答复时限 5 个工作日）"), columns, rows, chart="line")


def availability(scope):
    start, end = scope.bounds
    week = _week(PlatformCheck.checked_at, scope)
    query = (select(week, func.count(), _count_if(PlatformCheck.ok.is_(True)))
             .where(PlatformCheck.checked_at >= start, PlatformCheck.checked_at < end).group_by(week))
    if scope.department_id:
        query = query.join(Platform, Platform.id == PlatformCheck.platform_id).where(
            Platform.department_id == scope.department_id)
    figures = _by_week(scope, db.session.execute(query))
    rows = []
    for w in scope.weeks():
        total, ok = figures.get(w, (0, 0))
        rows.append([week_label(w), total, ok, round(100 * ok / total, 1) if total else 0])
    return Table("availability", _l("每周平台可用率（健康检测）"),
                 [_l("周（北京时间）"), _l("检测次数"), _l("可访问次数"), _l("可用率（%）")], rows,
                 chart="line", series=[3], percent=True)


def interaction(scope):
    """政民互动 per month (Beijing), from portal/interaction/stats.py."""
    from portal.interaction.stats import department_month_stats

    rows = department_month_stats(since=scope.first, until=scope.last + timedelta(days=1),
                                  department_id=scope.department_id)
    months = defaultdict(Counter)
    for row in rows:
        for key in ("received", "replied", "on_time", "overdue", "satisfied", "basically_satisfied", "dissatisfied"):
            months[row["month"]][key] += row[key]
    table_rows = []
    for month in sorted(months):
        m = months[month]
        rated = m["satisfied"] + m["basically_satisfied"] + m["dissatisfied"]
        satisfaction = round(100 * (m["satisfied"] + m["basically_satisfied"]) / rated, 1) if rated else 0
        table_rows.append([month, m["received"], m["replied"], m["on_time"], m["overdue"], satisfaction])
    return Table("interaction", _l("政民互动：每月留言受理、按时答复与满意度"),
                 [_l("月份（北京时间）"), _l("收到留言"), _l("已答复"), _l("按时答复"), _l("逾期"), _l("满意率（%）")],
                 table_rows, chart="line", series=[1, 3, 4],
                 note=_l("满意率：满意与基本满意占已评价留言的比例；历史导入的留言没有答复期限，不计入按时或逾期。"))


SECTIONS = {
    "matters_status": matters_by_status, "matters_department": matters_by_department, "publishing": publishing,
    "link_throughs": link_throughs, "searches": searches, "ratings": ratings, "rectifications": rectifications,
    "hotline": hotline, "availability": availability, "interaction": interaction,
}
ADMIN_ONLY = {"searches"}


def sections_for(scope):
    return [key for key in SECTIONS if scope.admin or key not in ADMIN_ONLY]


def table(key, scope):
    return SECTIONS[key](scope)


def all_tables(scope):
    return [table(key, scope) for key in sections_for(scope)]


def clamp(first, last, today=None):
    """A valid range: first ≤ last ≤ today, at most MAX_DAYS long; defaults to the last 8 weeks."""
    today = today or beijing_today()
    default_first, default_last = default_range(today)
    last = min(last or default_last, today)
    first = first or (last - (default_last - default_first))
    if first > last:
        first, last = last, min(first, today)
    return max(first, last - timedelta(days=MAX_DAYS - 1)), last



