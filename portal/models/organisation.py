"""Departments and the department platforms (业务系统) that matters link through to."""

from portal.extensions import db
from portal.models.base import TimestampMixin


class Department(TimestampMixin, db.Model):
    __tablename__ = "departments"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(64), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    # Used in /dept/<slug>/ for the consolidated department site.
    slug = db.Column(db.String(100), nullable=False, unique=True)
    region_code = db.Column(db.String(12))
    region_name = db.Column(db.String(100))
    level = db.Column(db.String(8))  # 省 / 市 / 县 / 乡
    introduction = db.Column(db.Text)
    leaders = db.Column(db.JSON, nullable=False, default=list)  # [{"name", "title", "duties"}]
    address = db.Column(db.String(300))
    phone = db.Column(db.String(100))
    office_hours = db.Column(db.String(200))
    website = db.Column(db.String(500))

    platforms = db.relationship("Platform", back_populates="department")

    def __repr__(self):
        return f"<Department {self.code} {self.name}>"


class Platform(TimestampMixin, db.Model):
    """A department's own service system; /go/ only ever redirects to a registered platform."""

    __tablename__ = "platforms"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(64), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), index=True)
    # scheme://host[:port] — handling URLs must start with this to be followed.
    base_url = db.Column(db.String(500), nullable=False)
    mobile_base_url = db.Column(db.String(500))
    sso_client_id = db.Column(db.String(100))  # Keycloak client of the platform, if connected (是否对接单点登录)
    is_down = db.Column(db.Boolean, nullable=False, default=False)
    downtime_message = db.Column(db.String(500))
    # The registry (/admin/platforms): kind and status are keys of portal.models.oversight's
    # PLATFORM_KINDS and PLATFORM_STATUSES.
    kind = db.Column(db.String(10), nullable=False, default="service", server_default="service")
    status = db.Column(db.String(12), nullable=False, default="active", server_default="active")
    contact = db.Column(db.String(200))
    notes = db.Column(db.Text)
    # A duplicate absorbed by another platform: its matters moved there, and its origins are
    # kept in the absorbing platform's extra_origins so their handling URLs stay followable.
    merged_into_id = db.Column(db.Integer, db.ForeignKey("platforms.id"))
    extra_origins = db.Column(db.JSON, nullable=False, default=list)
    # The latest health checks, kept here so the guide page needs no query of the history.
    last_checked_at = db.Column(db.DateTime)
    last_ok_at = db.Column(db.DateTime)
    failed_checks = db.Column(db.Integer, nullable=False, default=0, server_default="0")

    department = db.relationship("Department", back_populates="platforms")
    merged_into = db.relationship("Platform", remote_side=[id])

    @property
    def sso_connected(self):
        return bool(self.sso_client_id)

    def __repr__(self):
        return f"<Platform {self.code} {self.base_url}>"
