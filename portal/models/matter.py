"""Service matters (政务服务事项) with the fields of a 办事指南, their child lists and versions."""

from sqlalchemy.orm import declared_attr

from portal.extensions import db
from portal.models.base import EditorialMixin, VersionSnapshotMixin

MATTER_TYPES = (
    "行政许可", "行政确认", "行政给付", "行政征收", "行政裁决", "行政奖励",
    "行政检查", "行政处罚", "行政强制", "其他行政权力", "公共服务",
)
LEVELS = ("省", "市", "县", "乡")
AUDIENCES = ("自然人", "法人")
HANDLING_TYPES = ("即办件", "承诺件")


class Matter(EditorialMixin, db.Model):
    """One catalogue matter as implemented by one department (实施清单 item)."""

    __tablename__ = "matters"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(64), nullable=False, unique=True)  # 事项编码 / 实施编码
    name = db.Column(db.String(300), nullable=False)
    base_name = db.Column(db.String(300))  # 基本目录名称
    short_name = db.Column(db.String(200))  # 俗称 people use
    aliases = db.Column(db.JSON, nullable=False, default=list)  # more colloquial names
    matter_type = db.Column(db.String(20), index=True)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=False, index=True)
    co_departments = db.Column(db.Text)
    level = db.Column(db.String(8), index=True)
    region_code = db.Column(db.String(12))
    region_name = db.Column(db.String(100))
    audiences = db.Column(db.JSON, nullable=False, default=list)
    themes = db.Column(db.JSON, nullable=False, default=list)
    life_events = db.Column(db.JSON, nullable=False, default=list)  # 一件事
    conditions = db.Column(db.Text)  # 受理条件
    legal_time_limit_days = db.Column(db.Integer)  # 法定办结时限（工作日）
    promised_time_limit_days = db.Column(db.Integer)  # 承诺办结时限（工作日）
    time_limit_note = db.Column(db.Text)  # limits as found when they are not plain numbers
    fee_free = db.Column(db.Boolean)  # None = not stated
    location = db.Column(db.Text)
    office_hours = db.Column(db.Text)
    consult_phone = db.Column(db.String(200))
    complain_phone = db.Column(db.String(200))
    handling_type = db.Column(db.String(8))
    online_depth = db.Column(db.Integer)  # 网上办理深度 0–4 (0 = offline only)
    visits_required = db.Column(db.Integer)  # 到现场次数 0 / 1 / 2
    courier = db.Column(db.Boolean)
    online_booking = db.Column(db.Boolean)
    platform_id = db.Column(db.Integer, db.ForeignKey("platforms.id"), index=True)
    platform_name = db.Column(db.String(200))  # as found in the source when no platform matched
    handling_url = db.Column(db.String(1000))  # PC 办理地址
    mobile_handling_url = db.Column(db.String(1000))
    start_button_text = db.Column(db.String(50))
    source = db.Column(db.String(40))  # which data set a seeded matter came from
    # The handling URL as the source data gives it; kept when `flask seed --demo-platform` points
    # handling_url at the demo department platform instead.
    source_handling_url = db.Column(db.String(1000))

    department = db.relationship("Department")
    platform = db.relationship("Platform")
    items = db.relationship("MatterItem", order_by="MatterItem.position", cascade="all, delete-orphan")
    materials = db.relationship(
        "MatterMaterial", order_by="MatterMaterial.position", cascade="all, delete-orphan"
    )
    fees = db.relationship("MatterFee", order_by="MatterFee.position", cascade="all, delete-orphan")
    legal_bases = db.relationship(
        "MatterLegalBasis", order_by="MatterLegalBasis.position", cascade="all, delete-orphan"
    )
    steps = db.relationship("MatterStep", order_by="MatterStep.position", cascade="all, delete-orphan")
    faqs = db.relationship("MatterFaq", order_by="MatterFaq.position", cascade="all, delete-orphan")
    versions = db.relationship(
        "MatterVersion", order_by="MatterVersion.version", cascade="all, delete-orphan",
        back_populates="matter",
    )

    def __repr__(self):
        return f"<Matter {self.code} {self.name}>"


class _MatterChild:
    """Columns every ordered child list of a matter shares."""

    id = db.Column(db.Integer, primary_key=True)
    position = db.Column(db.Integer, nullable=False, default=0)

    @declared_attr
    def matter_id(cls):
        return db.Column(db.Integer, db.ForeignKey("matters.id", ondelete="CASCADE"), nullable=False, index=True)


class MatterItem(_MatterChild, db.Model):
    """业务办理项: one situation a matter splits into (新设 / 变更 / 延续 / 注销)."""

    __tablename__ = "matter_items"

    code = db.Column(db.String(80))
    name = db.Column(db.String(300), nullable=False)
    situation = db.Column(db.String(20))
    handling_url = db.Column(db.String(1000))


class MatterMaterial(_MatterChild, db.Model):
    __tablename__ = "matter_materials"

    name = db.Column(db.String(500), nullable=False)
    original_or_copy = db.Column(db.String(20))  # 原件 / 复印件 / 原件和复印件
    medium = db.Column(db.String(20))  # 纸质 / 电子 / 纸质或电子
    requirement = db.Column(db.String(10))  # 必要 / 非必要 / 容缺
    copies = db.Column(db.Integer)
    source_channel = db.Column(db.String(200))  # 申请人自备 / 政府部门核发 …
    blank_form_url = db.Column(db.String(1000))
    sample_url = db.Column(db.String(1000))
    note = db.Column(db.Text)


class MatterFee(_MatterChild, db.Model):
    __tablename__ = "matter_fees"

    item = db.Column(db.String(300), nullable=False)
    standard = db.Column(db.String(500))
    basis = db.Column(db.Text)
    reduction = db.Column(db.Text)


class MatterLegalBasis(_MatterChild, db.Model):
    __tablename__ = "matter_legal_bases"

    title = db.Column(db.String(300), nullable=False)
    article = db.Column(db.Text)  # the clause text


class MatterStep(_MatterChild, db.Model):
    __tablename__ = "matter_steps"

    name = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text)
    time_limit = db.Column(db.String(100))


class MatterFaq(_MatterChild, db.Model):
    __tablename__ = "matter_faqs"

    question = db.Column(db.Text, nullable=False)
    answer = db.Column(db.Text, nullable=False)


class MatterVersion(VersionSnapshotMixin, db.Model):
    """A snapshot of a matter with its child lists, written on every saved change."""

    __tablename__ = "matter_versions"
    __table_args__ = (db.UniqueConstraint("matter_id", "version", name="uq_matter_versions_matter_version"),)

    matter_id = db.Column(db.Integer, db.ForeignKey("matters.id", ondelete="CASCADE"), nullable=False, index=True)

    matter = db.relationship("Matter", back_populates="versions")
