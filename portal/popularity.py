"""Popularity, in one place: counting guide page views and 在线办理 link-throughs, and what the
counts are used for (the search index's popularity component and the home page's 热门事项).

Counting writes nothing on the request path: views and link-throughs are gathered in memory by
each process's `UsageRecorder` and written every POPULARITY_FLUSH_SECONDS by a thread of its own
(views as one row per matter and day, link-throughs one row each), so a reader never queues
behind SQLite's writer. Counts still in memory when a process stops are lost: they are
statistics. POPULARITY_FLUSH_SECONDS = 0 (tests) writes at once.

Staff (editors, reviewers, operators, administrators) looking at their own catalogue are not
citizens using it: their views are not counted and their link-throughs are kept but marked.
A link-through keeps a visitor key: the user id when signed in, otherwise a keyed hash of the
day, the address and the browser, truncated (never the address; a different key every day, and
no use without the secret key), so 热门事项 can ask for several distinct visitors and one person
clicking all day, or a test run, cannot put a matter there.
"""

import hashlib
import hmac
import math
import re
import threading
from collections import Counter
from datetime import timedelta
from functools import lru_cache
from itertools import chain
from pathlib import Path

from flask import current_app, request
from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.exc import SQLAlchemyError

from portal import content_generation
from portal.extensions import db
from portal.models import LinkThrough, Matter, PageView, utcnow
from portal.models.base import STATUS_PUBLISHED

# The search index's popularity: a link-through counts as much as this many page views; both
# halve every POPULARITY_HALF_LIFE_DAYS, and nothing older than POPULARITY_WINDOW_DAYS counts.
LINK_THROUGH_WEIGHT = 3
POPULARITY_HALF_LIFE_DAYS = 30
POPULARITY_WINDOW_DAYS = 180
# 热门事项: link-throughs of the last POPULAR_WINDOW_DAYS from at least POPULAR_MIN_VISITORS
# distinct visitors (config, default 5), most distinct visitors first.
POPULAR_WINDOW_DAYS = 30
STAFF_ROLES = ("editor", "reviewer", "operator", "admin")
# 热门事项 before there is enough use: curated everyday matters (see popular_matters).
EVERYDAY_MATTERS_PATH = Path(__file__).parent / "data" / "everyday_matters.txt"
LEVEL_ORDER = {"乡": 0, "县": 1, "市": 2, "省": 3}
# A test record's name (测试…, …test, 测试事项) or markup never reaches 热门事项; real names such as
# 普通话水平测试等级证书核发 do.
ODD_NAME = re.compile(r"[<>{}\\]|&#?\w+;|^\s*(?:测试|test|demo)|(?:测试|test|demo)\s*\d*\s*$|测试(?:事项|用|数据)",
                      re.IGNORECASE)


def is_staff(user):
    return bool(user is not None and user.is_authenticated and user.has_role(*STAFF_ROLES))


def visitor_key(user):
    """The user id when signed in; otherwise a daily keyed hash of address and browser."""
    if user is not None and user.is_authenticated:
        return f"u{user.id}"
    secret = current_app.config["SECRET_KEY"].encode()
    seen = f"{utcnow().date()}|{request.remote_addr}|{request.headers.get('User-Agent', '')}".encode()
    return "a" + hmac.new(secret, seen, hashlib.sha256).hexdigest()[:15]


class UsageRecorder:
    """One app's counts waiting to be written, and the thread writing them."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.views = Counter()  # (matter id, day) → views
        self.link_throughs = []  # rows for LinkThrough
        self.wake = threading.Event()
        self.thread = None

    def _start(self):
        if self.thread is None:
            with self.lock:
                if self.thread is None:
                    self.thread = threading.Thread(target=self._run, daemon=True, name="usage-writer")
                    self.thread.start()

    def add_view(self, matter_id, day=None):
        with self.lock:
            self.views[(matter_id, day or utcnow().date())] += 1
        self._after_add()

    def add_link_through(self, row):
        with self.lock:
            self.link_throughs.append(row)
        self._after_add()

    def _after_add(self):
        if self.app.config["POPULARITY_FLUSH_SECONDS"] <= 0:
            self.flush()
        else:
            self._start()

    def _run(self):
        while True:
            self.wake.wait(self.app.config["POPULARITY_FLUSH_SECONDS"])
            self.wake.clear()
            self.flush()

    def flush(self):
        """Write what is waiting (in a session of its own)."""
        with self.lock:
            views, self.views = self.views, Counter()
            link_throughs, self.link_throughs = self.link_throughs, []
        if not views and not link_throughs:
            return
        with self.app.app_context():
            try:
                with db.engine.begin() as connection:
                    if link_throughs:
                        connection.execute(insert(LinkThrough), link_throughs)
                    if views:
                        _add_views(connection, views)
            except SQLAlchemyError:
                self.app.logger.warning("usage counts not written",
                                        extra={"fields": {"views": sum(views.values()),
                                                          "link_throughs": len(link_throughs)}})


def _add_views(connection, views):
    """views[(matter id, day)] added to matter_page_views, one upsert per row."""
    rows = [{"matter_id": matter_id, "day": day, "views": count} for (matter_id, day), count in views.items()]
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    statement = upsert(PageView.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=["matter_id", "day"], set_={"views": PageView.__table__.c.views + statement.excluded.views})
    # A matter deleted meanwhile would fail the whole batch on PostgreSQL: keep only existing ones.
    existing = set(connection.scalars(select(Matter.id).where(Matter.id.in_({row["matter_id"] for row in rows}))))
    rows = [row for row in rows if row["matter_id"] in existing]
    if rows:
        connection.execute(statement, rows)


def recorder(app=None):
    app = app or current_app._get_current_object()
    found = app.extensions.get("usage_recorder")
    if found is None:
        found = app.extensions.setdefault("usage_recorder", UsageRecorder(app))
    return found


def count_view(matter_id, user=None, app=None):
    """A view of a matter's guide page (not counted for staff)."""
    if not is_staff(user):
        recorder(app).add_view(matter_id)


def view_counter(matter_id):
    """What a shared guide page runs for each visitor it is served to (not signed in, so no staff)."""
    usage = recorder()
    return lambda: usage.add_view(matter_id)


def count_link_through(matter, user):
    """A click on 在线办理: the time, the matter, its platform, the user id if signed in, the visitor key."""
    signed_in = user is not None and user.is_authenticated
    recorder().add_link_through({
        "at": utcnow(), "matter_id": matter.id, "platform_id": matter.platform_id,
        "user_id": user.id if signed_in else None, "visitor": visitor_key(user), "by_staff": is_staff(user),
    })


def flush():
    """Write this app's waiting counts now (tests and tools)."""
    found = current_app.extensions.get("usage_recorder")
    if found is not None:
        found.flush()


def _decay(age_days):
    return math.pow(0.5, age_days / POPULARITY_HALF_LIFE_DAYS)


def matter_popularity(matter_ids=None):
    """matter id → decayed popularity from citizens' link-throughs and page views (search ranking)."""
    today = utcnow().date()
    since = today - timedelta(days=POPULARITY_WINDOW_DAYS)
    scores = {}
    day = func.date(LinkThrough.at)
    clicks = select(LinkThrough.matter_id, day, func.count()).where(
        LinkThrough.at >= since, LinkThrough.by_staff.is_(False)).group_by(LinkThrough.matter_id, day)
    views = select(PageView.matter_id, PageView.day, PageView.views).where(PageView.day >= since)
    if matter_ids is not None:
        clicks = clicks.where(LinkThrough.matter_id.in_(matter_ids))
        views = views.where(PageView.matter_id.in_(matter_ids))
    for weight, statement in ((LINK_THROUGH_WEIGHT, clicks), (1, views)):
        for matter_id, when, count in db.session.execute(statement):
            when = when if not isinstance(when, str) else today.fromisoformat(when)
            scores[matter_id] = scores.get(matter_id, 0.0) + weight * count * _decay((today - when).days)
    return scores


def _published():
    return select(Matter).where(Matter.status == STATUS_PUBLISHED)


def most_linked_through(limit, min_visitors=None):
    """Published matters whose 在线办理 citizens (not staff) used in the last POPULAR_WINDOW_DAYS,
    each from at least min_visitors distinct visitors; most distinct visitors first."""
    min_visitors = current_app.config["POPULAR_MIN_VISITORS"] if min_visitors is None else min_visitors
    since = utcnow() - timedelta(days=POPULAR_WINDOW_DAYS)
    visitors = func.count(func.distinct(LinkThrough.visitor))
    ranked = db.session.execute(
        select(LinkThrough.matter_id, visitors.label("visitors"), func.count().label("clicks"))
        .join(Matter, Matter.id == LinkThrough.matter_id)
        .where(LinkThrough.at >= since, LinkThrough.by_staff.is_(False), LinkThrough.visitor.is_not(None),
               Matter.status == STATUS_PUBLISHED)
        .group_by(LinkThrough.matter_id).having(visitors >= min_visitors)
        .order_by(visitors.desc(), func.count().desc(), LinkThrough.matter_id).limit(limit)
    ).all()
    if not ranked:
        return []
    found = {matter.id: matter for matter in db.session.scalars(
        _published().where(Matter.id.in_([row.matter_id for row in ranked])))}
    return [found[row.matter_id] for row in ranked if row.matter_id in found]


def presentable(name):
    """False for a name that reads as a test record or carries markup: never shown as 热门事项."""
    return bool(name) and not ODD_NAME.search(name)


@lru_cache(maxsize=4)
def everyday_names(path=EVERYDAY_MATTERS_PATH):
    """The curated everyday matter names (data/everyday_matters.txt), most needed first."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return tuple(dict.fromkeys(line.strip() for line in lines if line.strip() and not line.startswith("#")))


def _everyday_choice(rows, names):
    """Rule 2: of the rows, those carrying a curated everyday name, in the list's order; of several
    with one name, the one with a handling URL at the most local level."""
    best = {}
    for row in sorted((row for row in rows if row.name in names),
                      key=lambda row: (not row.online, LEVEL_ORDER.get(row.level, 9), row.code)):
        best.setdefault(row.name, row)
    return [best[name] for name in names if name in best]


def _short_name_choice(rows):
    """Rule 3: matters people know by a short name and can handle online, those of a life event
    first, one per department and short name."""
    ranked = sorted((row for row in rows if row.short_name and row.online and presentable(row.short_name)),
                    key=lambda row: (not row.life_events, len(row.short_name), row.code))
    departments, short_names = set(), set()
    for row in ranked:
        if row.department_id not in departments and row.short_name not in short_names:
            departments.add(row.department_id)
            short_names.add(row.short_name)
            yield row


def _candidates():
    """Rules 2 and 3's matters in turn, as (id, name): they depend on the published catalogue only,
    so they are found once per content generation (a query and a sort of every matter with a short
    name were most of a home page's rendering), not for every page that shows 热门事项."""
    names = everyday_names()
    rows = db.session.execute(
        select(Matter.id, Matter.name, Matter.short_name, Matter.department_id, Matter.life_events, Matter.code,
               Matter.level, Matter.handling_url.is_not(None).label("online"))
        .where(Matter.status == STATUS_PUBLISHED,
               or_(Matter.name.in_(names), and_(Matter.short_name.is_not(None), Matter.handling_url.is_not(None))))
    ).all()
    return tuple((row.id, row.name) for row in chain(_everyday_choice(rows, names), _short_name_choice(rows)))


def popular_matters(limit=8):
    """热门事项 (home page, and the search page when nothing was found), by three rules in turn:
    1. the matters most distinct citizens went on to handle online (most_linked_through);
    2. until there is that much use (a fresh install), the curated everyday matters of
       data/everyday_matters.txt that are published;
    3. in a catalogue that has too few of those, matters people know by a short name and can handle
       online, those of a life event (一件事) first, one per department and name (then, in a small
       catalogue, those handled furthest online).
    Never an unpublished matter, nor one whose name reads as a test record or carries markup."""
    popular = [matter for matter in most_linked_through(limit * 2) if presentable(matter.name)][:limit]
    if len(popular) >= limit:
        return popular
    shown_names, chosen = {matter.name for matter in popular}, []
    for matter_id, name in content_generation.kept("popularity.candidates", _candidates):
        if len(popular) + len(chosen) >= limit:
            break
        if name not in shown_names and presentable(name):
            chosen.append(matter_id)
            shown_names.add(name)
    if len(popular) + len(chosen) < limit:  # a small catalogue: the matters handled furthest online
        taken, wanted = {matter.id for matter in popular} | set(chosen), limit - len(popular) - len(chosen)
        chosen += [row.id for row in db.session.execute(
            select(Matter.id, Matter.name).where(Matter.status == STATUS_PUBLISHED)
            .order_by(Matter.online_depth.desc().nulls_last(), Matter.id).limit(limit * 3)
        ) if row.id not in taken and row.name not in shown_names and presentable(row.name)][:wanted]
    if chosen:
        by_id = {matter.id: matter for matter in db.session.scalars(_published().where(Matter.id.in_(chosen)))}
        popular += [by_id[matter_id] for matter_id in chosen if matter_id in by_id]
    return popular
