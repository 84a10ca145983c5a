"""Browsing the published catalogue by theme, life event, department, audience, level and type,
with a count beside every choice (each dimension counted under the other chosen filters)."""

import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal import content_generation
from portal.catalogue.taxonomy import AUDIENCE_LABELS, LEVEL_LABELS, LIFE_EVENT_NAMES, OTHER_THEME
from portal.extensions import db
from portal.models import Department, Matter
from portal.models.base import STATUS_PUBLISHED
from portal.models.matter import MATTER_TYPES

DIMENSIONS = ("theme", "life_event", "department", "audience", "level", "type")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class BrowseResult:
    total: int
    matters: list
    facets: dict
    page: int
    size: int

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.size))


def published():
    return select(Matter).where(Matter.status == STATUS_PUBLISHED)


def _row_values(row):
    """The values a matter has in each dimension (lists, because a matter has several themes)."""
    return {
        "theme": row.themes or [], "life_event": row.life_events or [], "department": [row.department_code],
        "audience": row.audiences or [], "level": [row.level] if row.level else [],
        "type": [row.matter_type] if row.matter_type else [],
    }


@dataclass(frozen=True)
class _Row:
    id: int
    name: str
    department_code: str
    department_name: str
    values: dict


def _catalogue_rows():
    """The published catalogue's browse rows, read once per content generation and kept per app."""
    return content_generation.kept("catalogue.browse_rows", _read_catalogue_rows)


def _read_catalogue_rows():
    query = (select(Matter.id, Matter.name, Matter.themes, Matter.life_events, Matter.audiences, Matter.level,
                    Matter.matter_type, Department.code.label("department_code"),
                    Department.name.label("department_name"))
             .join(Department, Matter.department_id == Department.id)
             .where(Matter.status == STATUS_PUBLISHED))
    return tuple(_Row(row.id, row.name, row.department_code, row.department_name, _row_values(row))
                 for row in db.session.execute(query))


def _label(dimension, value, department_names):
    if dimension == "department":
        return department_names.get(value, value)
    if dimension == "level":
        return LEVEL_LABELS.get(value, value)
    if dimension == "audience":
        return AUDIENCE_LABELS.get(value, value)
    return value


def _order(dimension, counts):
    """Fixed order where the dimension has one (levels, types, life events), else most matters first."""
    fixed = {"level": tuple(LEVEL_LABELS), "type": MATTER_TYPES, "life_event": LIFE_EVENT_NAMES,
             "audience": tuple(AUDIENCE_LABELS)}.get(dimension)
    if fixed:
        return sorted(counts, key=lambda value: (fixed.index(value) if value in fixed else len(fixed), value))
    return sorted(counts, key=lambda value: (value == OTHER_THEME, -counts[value], value))


def browse(filters, page=1, size=PAGE_SIZE, with_matters=True):
    """Published matters matching every filter {dimension: value}, one page of them (unless
    with_matters is false: the counts only), and the facets."""
    filters = {key: value for key, value in filters.items() if key in DIMENSIONS and value}
    size = max(1, min(size, MAX_PAGE_SIZE))
    rows = _catalogue_rows()
    department_names = {row.department_code: row.department_name for row in rows}
    counts = {dimension: {} for dimension in DIMENSIONS}
    chosen = []
    for row in rows:
        # A dimension's facet counts the rows that pass every *other* filter.
        failed = [key for key, value in filters.items() if value not in row.values[key]]
        if len(failed) > 1:
            continue
        for dimension in failed or DIMENSIONS:
            for value in set(row.values[dimension]):
                counts[dimension][value] = counts[dimension].get(value, 0) + 1
        if not failed:
            chosen.append(row)
    facets = {dimension: [FacetValue(value, _label(dimension, value, department_names), counts[dimension][value])
                          for value in _order(dimension, counts[dimension])]
              for dimension in DIMENSIONS}
    chosen.sort(key=lambda row: (row.name, row.id))
    page = max(1, page)
    ids = [row.id for row in chosen[(page - 1) * size: page * size]] if with_matters else []
    by_id = {matter.id: matter for matter in db.session.scalars(
        select(Matter).where(Matter.id.in_(ids)).options(selectinload(Matter.department), selectinload(Matter.platform))
    )} if ids else {}
    return BrowseResult(len(chosen), [by_id[id_] for id_ in ids], facets, page, size)


def published_matter(code):
    return db.session.scalar(published().where(Matter.code == code).options(
        joinedload(Matter.department), joinedload(Matter.platform), selectinload(Matter.materials),
        selectinload(Matter.fees), selectinload(Matter.legal_bases), selectinload(Matter.steps),
        selectinload(Matter.faqs), selectinload(Matter.items),
    ))


def sibling_matters(matter, limit=30):
    """The other situations (业务办理项) of the same catalogue item: same department, same 基本目录名称."""
    if not matter.base_name:
        return []
    return list(db.session.scalars(
        published().where(Matter.department_id == matter.department_id, Matter.base_name == matter.base_name,
                          Matter.id != matter.id).order_by(Matter.name).limit(limit)
    ))
