"""Open data: the change log behind /open/changes, and departments' information resource
catalogue (政务信息资源目录) with its data items and versions."""

from portal.extensions import db
from portal.models.base import EditorialMixin, VersionSnapshotMixin, utcnow


class OpenChange(db.Model):
    """One change to published content, written in the transaction that made it.

    `cursor` is given after the commit, in commit order (portal/open_data/changes.py), so a consumer
    reading `cursor > N` never misses a change committed late by a transaction that began early."""

    __tablename__ = "open_changes"

    id = db.Column(db.Integer, primary_key=True)
    cursor = db.Column(db.BigInteger, unique=True)  # None until sequenced
    entity = db.Column(db.String(20), nullable=False)  # matter | answer | resource
    entity_key = db.Column(db.Integer, nullable=False)  # the row's primary key
    public_id = db.Column(db.String(64), nullable=False)  # what the datasets call it (a matter's code)
    action = db.Column(db.String(10), nullable=False)  # upsert | delete
    version = db.Column(db.BigInteger, nullable=False)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)

    __table_args__ = (
        db.Index("ix_open_changes_unsequenced", "cursor", "id"),
        db.Index("ix_open_changes_entity", "entity", "entity_key"),
    )


class OpenChangeSequence(db.Model):
    """One row: the last cursor handed out. Locked while the next changes are numbered."""

    __tablename__ = "open_change_sequence"

    id = db.Column(db.Integer, primary_key=True)
    value = db.Column(db.BigInteger, nullable=False, default=0)


SHARING_TYPES = ("无条件共享", "有条件共享", "不予共享")
OPENING_TYPES = ("无条件开放", "有条件开放", "不予开放")
UPDATE_FREQUENCIES = ("实时", "每日", "每周", "每月", "每季度", "每年", "不定期")


class InformationResource(EditorialMixin, db.Model):
    """政务信息资源: one information resource a department holds, as its catalogue describes it."""

    __tablename__ = "information_resources"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(64), nullable=False, unique=True)  # 资源代码
    name = db.Column(db.String(300), nullable=False)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=False, index=True)  # 提供方
    summary = db.Column(db.Text)  # 资源摘要
    platform_id = db.Column(db.Integer, db.ForeignKey("platforms.id"), index=True)  # 来源系统 (registry)
    source_system = db.Column(db.String(200))  # 来源系统 when it is not in the platform registry
    format = db.Column(db.String(50))  # 资源格式: 电子表格, 数据库, 接口, 文档 …
    update_frequency = db.Column(db.String(10))  # 更新周期, one of UPDATE_FREQUENCIES
    sharing_type = db.Column(db.String(10))  # one of SHARING_TYPES
    sharing_condition = db.Column(db.Text)
    opening_type = db.Column(db.String(10))  # one of OPENING_TYPES
    opening_condition = db.Column(db.Text)
    dataset = db.Column(db.String(64))  # the /open/ dataset when it is opened without conditions
    data_updated_on = db.Column(db.Date)  # when the data itself last changed (for resources outside the portal)

    department = db.relationship("Department")
    platform = db.relationship("Platform")
    data_items = db.relationship(
        "ResourceDataItem", order_by="ResourceDataItem.position", cascade="all, delete-orphan"
    )
    versions = db.relationship(
        "InformationResourceVersion", order_by="InformationResourceVersion.version", cascade="all, delete-orphan",
        back_populates="resource",
    )


class ResourceDataItem(db.Model):
    """信息项: one data item of a resource."""

    __tablename__ = "resource_data_items"

    id = db.Column(db.Integer, primary_key=True)
    position = db.Column(db.Integer, nullable=False, default=0)
    resource_id = db.Column(
        db.Integer, db.ForeignKey("information_resources.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name = db.Column(db.String(200), nullable=False)
    data_type = db.Column(db.String(30))  # 字符串, 整数, 日期 …
    description = db.Column(db.Text)


class InformationResourceVersion(VersionSnapshotMixin, db.Model):
    __tablename__ = "information_resource_versions"
    __table_args__ = (
        db.UniqueConstraint("resource_id", "version", name="uq_information_resource_versions_resource_version"),
    )

    resource_id = db.Column(
        db.Integer, db.ForeignKey("information_resources.id", ondelete="CASCADE"), nullable=False, index=True
    )

    resource = db.relationship("InformationResource", back_populates="versions")
