"""The information resource catalogue (政务信息资源目录): departments describe the information
resources they hold; every change goes through the editorial workflow (portal/workflow/, kind
"resource"). Also: the administrators' coverage view and the catalogue's seed, which describes
the portal's own open datasets as they are."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.fields import DateField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from portal.editor.fields import OptionalSelectField, strip_or_none
from portal.extensions import db
from portal.models import Department, InformationResource, Platform, utcnow
from portal.models.base import STATUS_PUBLISHED
from portal.models.open_data import OPENING_TYPES, SHARING_TYPES, UPDATE_FREQUENCIES
from portal.open_data import datasets

TEXT = {"filters": [strip_or_none]}
# How long data may go unchanged before it is overdue against its stated update frequency.
ALLOWED_AGE = {"实时": timedelta(days=1), "每日": timedelta(days=2), "每周": timedelta(days=8),
               "每月": timedelta(days=32), "每季度": timedelta(days=93), "每年": timedelta(days=367)}
FORMATS = ("电子表格", "数据库", "接口", "文档", "CSV/JSON/JSON Lines", "其他")
PORTAL_DEPARTMENT = {"code": "PORTAL-DATA", "name": "市政务服务数据管理局", "slug": "portal-data"}


CODE_TAKEN = _l("已有资源使用这个代码。")


class ResourceForm(FlaskForm):
    lock_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    code = StringField(_l("资源代码"), [DataRequired(message=_l("请填写资源代码。")), Length(max=64),
                                     Regexp(r"^[A-Za-z0-9._/-]+$", message=_l("资源代码只能含字母、数字和 . _ / -。"))],
                       **TEXT)
    name = StringField(_l("资源名称"), [DataRequired(message=_l("请填写资源名称。")), Length(max=300)], **TEXT)
    summary = TextAreaField(_l("资源摘要"), [Optional(), Length(max=5000)], **TEXT)
    platform_code = StringField(_l("来源系统（业务系统登记表中的编码）"), [Optional(), Length(max=64)], **TEXT)
    source_system = StringField(_l("来源系统（未登记时填写名称）"), [Optional(), Length(max=200)], **TEXT)
    format = OptionalSelectField(_l("资源格式"), options=FORMATS)
    update_frequency = OptionalSelectField(_l("更新周期"), [DataRequired(message=_l("请选择更新周期。"))],
                                           options=UPDATE_FREQUENCIES)
    sharing_type = OptionalSelectField(_l("共享类型"), [DataRequired(message=_l("请选择共享类型。"))],
                                       options=SHARING_TYPES)
    sharing_condition = TextAreaField(_l("共享条件"), [Optional(), Length(max=2000)], **TEXT)
    opening_type = OptionalSelectField(_l("开放类型"), [DataRequired(message=_l("请选择开放类型。"))],
                                       options=OPENING_TYPES)
    opening_condition = TextAreaField(_l("开放条件"), [Optional(), Length(max=2000)], **TEXT)
    dataset = OptionalSelectField(_l("对应的开放数据集"), options=())
    data_updated_on = DateField(_l("数据最近更新日期"), [Optional()])
    data_items = TextAreaField(
        _l("信息项"), [DataRequired(message=_l("请至少填写一个信息项。")), Length(max=20000)],
        description=_l("每行一项：名称|类型|说明，例如：事项编码|字符串|唯一编码"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dataset.choices = [self.dataset.choices[0], *[
            (dataset.name, f"{dataset.title}（{dataset.name}）") for dataset in datasets.main_datasets()]]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Checks across fields (a field's own Optional() would stop an inline validator on empty input).
        if self.sharing_type.data == "有条件共享" and not self.sharing_condition.data:
            self.sharing_condition.errors.append(_l("有条件共享时请写明共享条件。"))
            valid = False
        if self.opening_type.data == "有条件开放" and not self.opening_condition.data:
            self.opening_condition.errors.append(_l("有条件开放时请写明开放条件。"))
            valid = False
        if self.dataset.data and self.opening_type.data != "无条件开放":
            self.dataset.errors.append(_l("只有无条件开放的资源链接开放数据集。"))
            valid = False
        return valid

    def validate_platform_code(self, field):
        if field.data and db.session.scalar(select(Platform.id).where(Platform.code == field.data)) is None:
            raise ValidationError(_l("业务系统登记表中没有这个编码；未登记的系统请填写名称。"))

    def validate_data_items(self, field):
        for number, line in enumerate(field.data.splitlines(), start=1):
            if line.strip() and not line.split("|")[0].strip():
                raise ValidationError(_l("第 %(n)s 行缺少信息项名称。", n=number))


def parse_items(text):
    items = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, data_type, description = ([part.strip() for part in line.split("|", 2)] + ["", ""])[:3]
        items.append({"name": name[:200], "data_type": data_type[:30] or None, "description": description or None})
    return items


def items_text(items):
    return "\n".join("|".join(filter(None, [item.get("name"), item.get("data_type") or "",
                                            item.get("description") or ""])).rstrip("|") for item in items)


def form_payload(form):
    """Snapshot-shaped content for the workflow from a validated form."""
    platform_id = db.session.scalar(select(Platform.id).where(Platform.code == form.platform_code.data)) \
        if form.platform_code.data else None
    return {
        "code": form.code.data, "name": form.name.data, "summary": form.summary.data, "platform_id": platform_id,
        "source_system": form.source_system.data, "format": form.format.data,
        "update_frequency": form.update_frequency.data, "sharing_type": form.sharing_type.data,
        "sharing_condition": form.sharing_condition.data, "opening_type": form.opening_type.data,
        "opening_condition": form.opening_condition.data, "dataset": form.dataset.data,
        "data_updated_on": form.data_updated_on.data.isoformat() if form.data_updated_on.data else None,
        "data_items": parse_items(form.data_items.data),
    }


def form_data(snapshot):
    """Form field values from a snapshot (the record's content or its pending edition)."""
    platform_code = db.session.scalar(select(Platform.code).where(Platform.id == snapshot.get("platform_id"))) \
        if snapshot.get("platform_id") else None
    values = {key: snapshot.get(key) for key in (
        "code", "name", "summary", "source_system", "format", "update_frequency", "sharing_type",
        "sharing_condition", "opening_type", "opening_condition", "dataset")}
    updated = snapshot.get("data_updated_on")
    if isinstance(updated, str) and updated:
        updated = date.fromisoformat(updated)
    return {**values, "platform_code": platform_code, "data_updated_on": updated or None,
            "data_items": items_text(snapshot.get("data_items") or [])}


def code_taken(code, resource_id=None):
    found = db.session.scalar(select(InformationResource.id).where(InformationResource.code == code))
    return found is not None and found != resource_id


def published():
    return InformationResource.status == STATUS_PUBLISHED


def last_updated(resource):
    """When the resource's data last changed: its dataset's update time when it is one of the
    portal's open datasets, else the date its department gave."""
    dataset = datasets.get(resource.dataset) if resource.dataset else None
    if dataset is not None:
        return dataset.modified()
    if resource.data_updated_on:
        return datetime.combine(resource.data_updated_on, datetime.min.time())
    return None


def is_stale(resource, now=None):
    allowed = ALLOWED_AGE.get(resource.update_frequency)
    if allowed is None:
        return False  # 不定期: no expectation to be late against
    updated = last_updated(resource)
    return updated is None or (now or utcnow()) - updated > allowed


@dataclass
class Coverage:
    departments_without: list  # departments with published matters but no published resource
    departments_with: list  # (department, count)
    stale: list  # (resource, last updated or None)
    total_departments: int


def coverage():
    counts = dict(db.session.execute(
        select(InformationResource.department_id, func.count(InformationResource.id))
        .where(published()).group_by(InformationResource.department_id)).all())
    departments = db.session.scalars(select(Department).order_by(Department.name)).all()
    resources = db.session.scalars(select(InformationResource).where(published())
                                   .order_by(InformationResource.department_id, InformationResource.name)).all()
    now = utcnow()
    return Coverage(
        departments_without=[department for department in departments if department.id not in counts],
        departments_with=[(department, counts[department.id]) for department in departments
                          if department.id in counts],
        stale=[(resource, last_updated(resource)) for resource in resources if is_stale(resource, now)],
        total_departments=len(departments),
    )


# ---------------------------------------------------------------- seed: the portal's own datasets

FREQUENCY_OF = {"continuous": "实时", "monthly": "每月", "weekly": "每周"}


def portal_department():
    department = db.session.scalar(select(Department).where(Department.code == PORTAL_DEPARTMENT["code"]))
    if department is None:
        department = Department(**PORTAL_DEPARTMENT)
        db.session.add(department)
        db.session.flush()
    return department


def seed_resources():
    """Describe each of the portal's open datasets as a published resource of the portal's own
    department, field by field. Idempotent: existing codes are left to their editors."""
    from portal import audit
    from portal.workflow import KINDS, take_snapshot

    department = portal_department()
    added = 0
    now = utcnow()
    for dataset in datasets.main_datasets():
        code = f"PORTAL-OPEN-{dataset.name}"
        if code_taken(code):
            continue
        resource = InformationResource(
            code=code, name=str(dataset.title), department_id=department.id, summary=str(dataset.description),
            source_system="一网通办政务服务门户", format="CSV/JSON/JSON Lines",
            update_frequency=FREQUENCY_OF[dataset.frequency], sharing_type="无条件共享", opening_type="无条件开放",
            dataset=dataset.name, status=STATUS_PUBLISHED, published_at=now, lock_version=1,
        )
        resource.data_items = [
            _item(position, field) for position, field in enumerate(dataset.fields)
        ]
        db.session.add(resource)
        db.session.flush()
        kind = KINDS["resource"]
        db.session.add(kind.version_model(resource_id=resource.id, version=1, status=STATUS_PUBLISHED,
                                          snapshot=take_snapshot(resource), comment="seed"))
        audit.record(None, "import", "resource", resource.id, after={"code": code})
        added += 1
    db.session.commit()
    return added


def _item(position, field):
    from portal.models import ResourceDataItem

    return ResourceDataItem(position=position, name=field.name, data_type=field.type,
                            description=str(field.meaning))
