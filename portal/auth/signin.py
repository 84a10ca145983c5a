"""Signing in and out through Keycloak: the work behind the auth views, callable from views,
commands and tests alike.

A sign-in creates an `SsoSession` row holding the tokens; the Flask session cookie carries only
the row's id. Every request checks that row (ended by sign-out, by back-channel logout, or when
Keycloak refuses to refresh the tokens) before Flask-Login's user counts as signed in.
"""

import secrets
from datetime import timedelta

from flask import current_app, g, request, session, url_for
from flask_login import login_user, logout_user
from sqlalchemy.orm import joinedload

from portal.extensions import db, keycloak_client
from portal.models import ROLES, Department, SsoSession, User, utcnow
from portal.safety import safe_local_path
from sso.identity import identity_from_claims
from sso.oidc import SsoUnavailable, TokenRejected

PENDING_LOGIN_KEY = "oidc_login"
SESSION_KEY = "sso_session"
FLASK_LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_remember")


class SignInRefused(Exception):
    """The callback cannot sign anyone in; `reason` says why (the view words it for the person)."""

    RESPONSE_REASONS = ("state", "cancelled", "error", "credit_code")

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _oidc():
    return keycloak_client.oidc


def callback_url():
    return url_for("auth.callback", _external=True)


def begin_login(next_target):
    """The Keycloak URL to send the browser to; state, nonce and PKCE verifier stay in the session.
    Raises SsoUnavailable when Keycloak cannot be reached."""
    login = _oidc().begin_login(callback_url())
    session[PENDING_LOGIN_KEY] = {**login.pending(), "next": safe_local_path(next_target)}
    return login.url


def complete_login(args):
    """Checks the authorization response and signs the person in; returns where to go next.
    Raises SignInRefused (nothing is stored then) or SsoUnavailable."""
    pending = session.pop(PENDING_LOGIN_KEY, None)
    try:
        tokens, claims = _oidc().finish_login(pending, args, callback_url())
        identity = identity_from_claims(claims, ROLES)
    except TokenRejected as error:
        current_app.logger.warning("sign-in refused", extra={"fields": {"reason": error.reason}})
        raise SignInRefused(error.reason if error.reason in SignInRefused.RESPONSE_REASONS else "token") from error
    user = sync_user(identity)
    _start_session(user, identity, tokens)
    return pending["next"]


def sync_user(identity):
    """The local user for a Keycloak subject, created or updated from the token's claims."""
    department = None
    if identity.department_code:
        department = db.session.execute(
            db.select(Department).filter_by(code=identity.department_code)
        ).scalar_one_or_none()
    user = db.session.execute(db.select(User).filter_by(subject=identity.subject)).scalar_one_or_none()
    if user is None:
        user = User(subject=identity.subject)
        db.session.add(user)
    user.username = identity.username
    user.display_name = identity.display_name
    user.email = identity.email
    user.account_type = identity.account_type
    user.real_name_level = identity.real_name_level
    user.credit_code = identity.credit_code
    user.enterprise_name = identity.enterprise_name
    user.department_id = department.id if department else None
    user.roles = list(identity.roles)
    return user


def _expiry(tokens):
    return utcnow() + timedelta(seconds=int(tokens.get("expires_in", 60)))


def _start_session(user, identity, tokens):
    user.last_login_at = utcnow()
    record = SsoSession(
        id=secrets.token_urlsafe(32), user=user, subject=identity.subject,
        keycloak_session_id=identity.keycloak_session_id, id_token=tokens["id_token"],
        access_token=tokens["access_token"], access_token_expires_at=_expiry(tokens),
        refresh_token=tokens.get("refresh_token"),
    )
    db.session.add(record)
    db.session.commit()
    # A fresh session for the signed-in person: nothing from before survives (no fixation).
    session.clear()
    session[SESSION_KEY] = record.id
    login_user(user)


def current_sso_session():
    session_id = session.get(SESSION_KEY)
    # The user comes in the same query: Flask-Login's loader then finds it without another one.
    return db.session.get(SsoSession, session_id, options=[joinedload(SsoSession.user)]) if session_id else None


def _forget_browser_session():
    logout_user()
    for key in (SESSION_KEY, *FLASK_LOGIN_KEYS):
        session.pop(key, None)


def check_session():
    """Before each request: a signed-in browser keeps its user only while its SsoSession is
    active; the access token is refreshed when due (a refusal from Keycloak ends the session)."""
    if "_user_id" not in session or request.endpoint == "static":
        return
    record = current_sso_session()
    if record is None:
        if session.get(SESSION_KEY) or current_app.config["SSO_SESSION_REQUIRED"]:
            _forget_browser_session()
        return
    if not record.active or str(record.user_id) != session["_user_id"]:
        _forget_browser_session()
        return
    # Held for the request: the session's identity map keeps objects only while they are
    # referenced, and Flask-Login's loader should find the user there without another query.
    g.sso_session = record
    if record.access_token_expires_at <= utcnow():
        _refresh(record)


def _refresh(record):
    try:
        tokens = _oidc().refresh(record.refresh_token) if record.refresh_token else None
    except SsoUnavailable:
        # Keycloak is down: the person stays signed in here (the portal's session is its own) and every page
        # says why signing in elsewhere or signing in again cannot work now (base.html); the next request
        # after Keycloak is back refreshes the tokens as usual.
        g.sso_refresh_unavailable = True
        return
    except TokenRejected:
        tokens = None
    if tokens is None:
        record.ended_at = utcnow()
        db.session.commit()
        _forget_browser_session()
        return
    record.access_token = tokens["access_token"]
    record.access_token_expires_at = _expiry(tokens)
    record.refresh_token = tokens.get("refresh_token", record.refresh_token)
    record.id_token = tokens.get("id_token", record.id_token)
    db.session.commit()


def sign_out(post_logout_redirect_uri):
    """Ends this browser's portal session; returns Keycloak's end-session URL (RP-initiated logout,
    which signs the person out of every client) or None when there is nothing to end there."""
    record = current_sso_session()
    _forget_browser_session()
    if record is None or not record.active:
        return None
    record.ended_at = utcnow()
    db.session.commit()
    try:
        return _oidc().end_session_url(record.id_token, post_logout_redirect_uri)
    except SsoUnavailable:
        return None


def end_sessions_for_logout_token(logout_token):
    """Back-channel logout: ends every portal session of the Keycloak session (sid), or of the
    subject when the token names no session. Returns how many ended. Raises TokenRejected."""
    claims = _oidc().validate_logout_token(logout_token)
    query = db.select(SsoSession).where(SsoSession.ended_at.is_(None))
    if claims.get("sid"):
        query = query.where(SsoSession.keycloak_session_id == claims["sid"])
    else:
        query = query.where(SsoSession.subject == claims["sub"])
    records = db.session.execute(query).scalars().all()
    now = utcnow()
    for record in records:
        record.ended_at = now
    db.session.commit()
    return len(records)
