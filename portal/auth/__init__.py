"""Sign-in through Keycloak: /login, the OIDC callback, /logout, back-channel logout, /me."""

from flask import Blueprint

auth = Blueprint("auth", __name__)


def init_app(app):
    """Called by create_app: bearer tokens on /api/, and every request's check of the SSO session."""
    from portal.auth.signin import check_session
    from portal.auth.tokens import user_from_bearer_token
    from portal.extensions import login_manager

    login_manager.request_loader(user_from_bearer_token)
    app.before_request(check_session)


from portal.auth import views  # noqa: E402,F401
