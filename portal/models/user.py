"""The local record of a Keycloak subject: what the portal keeps of a signed-in person."""

from flask_login import UserMixin

from portal.extensions import db, login_manager
from portal.models.base import TimestampMixin

ROLES = ("citizen", "enterprise", "editor", "reviewer", "operator", "admin")
ACCOUNT_TYPES = ("个人", "法人")


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    subject = db.Column(db.String(64), nullable=False, unique=True)  # Keycloak "sub"
    username = db.Column(db.String(100), nullable=False)
    display_name = db.Column(db.String(200))
    email = db.Column(db.String(200))
    account_type = db.Column(db.String(8))
    real_name_level = db.Column(db.Integer)
    credit_code = db.Column(db.String(18))  # 统一社会信用代码, enterprise accounts
    enterprise_name = db.Column(db.String(200))
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), index=True)
    roles = db.Column(db.JSON, nullable=False, default=list)
    last_login_at = db.Column(db.DateTime)

    department = db.relationship("Department")

    def has_role(self, *roles):
        return any(role in self.roles for role in roles)


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
