"""A portal sign-in tied to its Keycloak session: the browser's cookie names the row, the tokens
stay here (never in the cookie), and a back-channel logout ends every row of its Keycloak session."""

from portal.extensions import db
from portal.models.base import TimestampMixin


class SsoSession(TimestampMixin, db.Model):
    __tablename__ = "sso_sessions"

    id = db.Column(db.String(64), primary_key=True)  # random; the session cookie carries it
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    subject = db.Column(db.String(64), nullable=False, index=True)  # Keycloak "sub"
    keycloak_session_id = db.Column(db.String(64), index=True)  # Keycloak "sid"
    id_token = db.Column(db.Text, nullable=False)  # the hint for RP-initiated logout
    access_token = db.Column(db.Text, nullable=False)
    access_token_expires_at = db.Column(db.DateTime, nullable=False)
    refresh_token = db.Column(db.Text)
    ended_at = db.Column(db.DateTime, index=True)

    user = db.relationship("User")

    @property
    def active(self):
        return self.ended_at is None
