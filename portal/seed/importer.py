"""`flask seed`: the real data in SHARED_DATA_DIR upserted into the catalogue in one transaction.

Departments, platforms and matters are matched by their codes, so a re-run with the same data
and options changes nothing. Every inserted or changed matter gets a search outbox row in the
same transaction (so `flask search sync` indexes exactly what changed). A matter that editors
have since saved, or that is no longer published, is the editors' now: the seed leaves it alone."""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pypinyin import Style, lazy_pinyin
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Department, Matter, MatterMaterial, MatterVersion, Platform, SearchOutbox, utcnow
from portal.models.base import STATUS_PUBLISHED
from portal.open_data import changes as open_changes
from portal.seed.records import read_sources

DEMO_PLATFORM_CODE = "dept-demo"
DEMO_PLATFORM_NAME = "演示部门办事平台"
# Names of platforms whose matters in the data carry no platform name.
KNOWN_PLATFORM_NAMES = {"www.sczwfw.gov.cn": "四川政务服务网"}
MATTER_FIELDS = (
    "name", "base_name", "short_name", "aliases", "matter_type", "co_departments", "level", "region_code",
    "region_name", "audiences", "themes", "life_events", "conditions", "legal_time_limit_days",
    "promised_time_limit_days", "time_limit_note", "location", "consult_phone", "complain_phone",
    "visits_required", "courier", "online_booking", "platform_name", "handling_url", "source",
    "source_handling_url", "department_id", "platform_id",
)
CODE_CHUNK = 1000


@dataclass
class SeedReport:
    matters_inserted: int = 0
    matters_updated: int = 0
    matters_unchanged: int = 0
    matters_kept: int = 0  # edited by editors or not published: left as they are
    departments_inserted: int = 0
    departments_total: int = 0
    platforms_inserted: int = 0
    platforms_total: int = 0
    demo_matters: int = 0
    outbox_rows: int = 0
    rejections: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def matters_total(self):
        return self.matters_inserted + self.matters_updated + self.matters_unchanged + self.matters_kept


@dataclass
class DemoPlatform:
    """Which matters `--demo-platform` points at the demo department platform, and where it runs."""

    base_url: str
    codes: frozenset | None = None  # None: all matters (or all of `department`'s)
    department: str | None = None  # a Department.code: its matters, and the platform is registered as its own

    def chooses(self, code, department_code=None):
        if self.department is not None:
            return department_code == self.department and (self.codes is None or code in self.codes)
        return self.codes is None or code in self.codes

    @classmethod
    def parse(cls, option, base_url, department=None):
        if not option and not department:
            return None
        if not option or option.strip().lower() == "all":
            return cls(base_url.rstrip("/"), department=department or None)
        return cls(base_url.rstrip("/"), frozenset(code.strip() for code in option.split(",") if code.strip()),
                   department=department or None)

    def handling_url(self, code):
        return f"{self.base_url}/apply/{code}"


def department_code(region_code, name):
    return f"{region_code or '0'}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"  # noqa: S324 - a stable id


def department_slug(code, name):
    """ASCII for /dept/<slug>/: the pinyin initials of the name plus a short hash of the code."""
    initials = "".join(letter for letter in "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
                       if letter.isascii() and letter.isalnum())
    return f"{initials[:40] or 'dept'}-{hashlib.sha1(code.encode()).hexdigest()[:6]}"  # noqa: S324


def origin_of(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _upsert(model, wanted, report_counter, report, insert_only=()):
    """Rows of `model` keyed by code: inserted when missing, updated when a value differs, except the
    `insert_only` columns, which administrators may have changed since."""
    existing = {row.code: row for row in db.session.scalars(select(model).where(model.code.in_(list(wanted))))}
    for code, values in wanted.items():
        row = existing.get(code)
        if row is None:
            row = existing[code] = model(code=code, **values)
            db.session.add(row)
            setattr(report, report_counter, getattr(report, report_counter) + 1)
        else:
            for key, value in values.items():
                if key not in insert_only and getattr(row, key) != value:
                    setattr(row, key, value)
    db.session.flush()
    return existing


def _departments(records, report):
    wanted = {}
    for record in records:
        code = department_code(record.region_code, record.department)
        wanted.setdefault(code, {
            "name": record.department, "slug": department_slug(code, record.department),
            "region_code": record.region_code, "region_name": record.region_name, "level": record.level,
        })
    rows = _upsert(Department, wanted, "departments_inserted", report, insert_only=("slug",))
    report.departments_total = len(wanted)
    return {(record.region_code, record.department): rows[department_code(record.region_code, record.department)]
            for record in records}


def _platforms(records, departments, demo, report):
    names, schemes, owners = defaultdict(Counter), defaultdict(set), defaultdict(set)
    for record in records:
        if record.handling_url:
            origin = origin_of(record.handling_url)
            names[origin][record.platform_name] += 1
            schemes[urlsplit(origin).netloc].add(origin)
            owners[origin].add(departments[(record.region_code, record.department)].id)
    wanted, code_of_origin = {}, {}
    for origin, counter in names.items():
        netloc = urlsplit(origin).netloc
        # One platform per scheme+host; the host alone names it unless both http and https occur.
        code = netloc if len(schemes[netloc]) == 1 else f"{urlsplit(origin).scheme}-{netloc}"
        named = [(count, name) for name, count in counter.items() if name]
        name = max(named)[1] if named else KNOWN_PLATFORM_NAMES.get(netloc, netloc)
        # A platform used by one department only is that department's own system.
        owner = next(iter(owners[origin])) if len(owners[origin]) == 1 else None
        wanted[code] = {"name": name[:200], "base_url": origin, "department_id": owner}
        code_of_origin[origin] = code
    if demo:
        owner = next((d.id for d in departments.values() if d.code == demo.department), None)
        wanted[DEMO_PLATFORM_CODE] = {"name": DEMO_PLATFORM_NAME, "base_url": demo.base_url,
                                      "sso_client_id": DEMO_PLATFORM_CODE, "department_id": owner}
        code_of_origin[demo.base_url] = DEMO_PLATFORM_CODE
    rows = _upsert(Platform, wanted, "platforms_inserted", report, insert_only=("name", "department_id"))
    report.platforms_total = len(wanted)
    # A duplicate the administrators merged into another platform hands its matters to that one.
    return {origin: rows[code].merged_into or rows[code] for origin, code in code_of_origin.items()}


def _matter_values(record, department, platforms, demo):
    values = {key: getattr(record, key) for key in MATTER_FIELDS if hasattr(record, key)}
    values["department_id"] = department.id
    values["source_handling_url"] = record.handling_url
    if demo and demo.chooses(record.code, department.code):
        values["handling_url"] = demo.handling_url(record.code)
        values["platform_name"] = DEMO_PLATFORM_NAME
    url = values["handling_url"]
    platform = platforms.get(origin_of(url)) if url else None
    values["platform_id"] = platform.id if platform else None
    return values


def _editors_matters():
    """Ids of matters an editor has saved (their versions carry an author)."""
    return set(db.session.scalars(select(MatterVersion.matter_id).where(MatterVersion.author_id.is_not(None))))


def _existing_matters(codes):
    found = {}
    for start in range(0, len(codes), CODE_CHUNK):
        chunk = codes[start:start + CODE_CHUNK]
        query = select(Matter).where(Matter.code.in_(chunk)).options(selectinload(Matter.materials))
        found.update((matter.code, matter) for matter in db.session.scalars(query))
    return found


def _apply(matter, values, materials):
    """Sets the values that differ; True when anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(matter, key) != value:
            setattr(matter, key, value)
            changed = True
    if [material.name for material in matter.materials] != materials:
        matter.materials = [MatterMaterial(name=name[:500], position=index) for index, name in enumerate(materials)]
        changed = True
    return changed


class _NoProgress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, steps):
        pass


def seed(data_dir, demo=None, progress=None):
    """Import every source under `data_dir`; one transaction, rolled back whole on any error.
    `progress(length)` returns a context manager with update(steps), like click.progressbar."""
    report = SeedReport()
    records, report.rejections = read_sources(data_dir)
    if demo and demo.codes:
        known = {record.code for record in records}
        report.warnings += [f"--demo-platform：数据中没有事项 {code}" for code in sorted(demo.codes - known)]
    try:
        departments = _departments(records, report)
        platforms = _platforms(records, departments, demo, report)
        existing = _existing_matters([record.code for record in records])
        edited = _editors_matters()
        changed = []
        now = utcnow()
        with (progress or (lambda length: _NoProgress()))(len(records)) as bar:
            for record in records:
                values = _matter_values(record, departments[(record.region_code, record.department)], platforms, demo)
                matter = existing.get(record.code)
                if matter is None:
                    matter = Matter(code=record.code, status=STATUS_PUBLISHED, published_at=now, lock_version=1)
                    _apply(matter, values, record.materials)
                    db.session.add(matter)
                    report.matters_inserted += 1
                    changed.append(matter)
                elif matter.id in edited or matter.status != STATUS_PUBLISHED:
                    report.matters_kept += 1
                elif _apply(matter, values, record.materials):
                    matter.lock_version += 1
                    report.matters_updated += 1
                    changed.append(matter)
                else:
                    report.matters_unchanged += 1
                report.demo_matters += matter.platform_name == DEMO_PLATFORM_NAME
                bar.update(1)
        db.session.flush()
        if changed:
            db.session.execute(insert(SearchOutbox), [
                {"entity_type": "matter", "entity_id": matter.id, "operation": "upsert",
                 "entity_version": matter.lock_version, "created_at": now, "next_attempt_at": now, "attempts": 0}
                for matter in changed
            ])
            open_changes.record_many("matter", changed)
        report.outbox_rows = len(changed)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report

