"""The demo department platform: `create_app()` for tests, `app` for gunicorn (dept_demo.app:app).

It trusts no one but Keycloak: a visitor without a sign-in here is sent to the realm, which
signs them in silently when they already hold a Keycloak session (from the portal), and ends
sign-ins here when Keycloak reports a logout on the back channel.
"""

from urllib.parse import urlsplit

import requests
from flask import Flask, abort, jsonify, redirect, render_template, request, session, url_for
from flask_wtf import CSRFProtect

from dept_demo.config import settings_from_environment
from dept_demo.sessions import SessionStore
from sso.identity import identity_from_claims
from sso.oidc import OidcClient, SsoUnavailable, TokenRejected

PENDING_LOGIN_KEY = "oidc_login"
SESSION_KEY = "sign_in"
KNOWN_ROLES = ("citizen", "enterprise", "editor", "reviewer", "operator", "admin")


def _local_path(target):
    """Only paths on this platform are followed after sign-in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def create_app(overrides=None):
    app = Flask(__name__)
    app.config.update(settings_from_environment())
    app.config.update(overrides or {})
    oidc = OidcClient(app.config["KEYCLOAK_URL"], app.config["KEYCLOAK_REALM"], app.config["OIDC_CLIENT_ID"],
                      app.config["OIDC_CLIENT_SECRET"], timeout=app.config["KEYCLOAK_TIMEOUT_SECONDS"])
    store = SessionStore(app.config["SESSION_DATABASE"])
    csrf = CSRFProtect(app)
    keycloak = urlsplit(app.config["KEYCLOAK_URL"])
    # Like the portal's: nothing from elsewhere, no <base>, forms post here (signing out lands on Keycloak).
    content_security_policy = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
        f"base-uri 'none'; form-action 'self' {keycloak.scheme}://{keycloak.netloc}; frame-ancestors 'none'"
    )
    app.extensions["dept_demo"] = {"oidc": oidc, "store": store}

    def callback_url():
        return f"{app.config['BASE_URL']}{url_for('callback')}"

    def signed_in():
        return store.active(session.get(SESSION_KEY))

    def sign_in_first():
        try:
            login = oidc.begin_login(callback_url())
        except SsoUnavailable:
            return render_template("unavailable.html"), 503
        session[PENDING_LOGIN_KEY] = {**login.pending(), "next": _local_path(request.full_path.rstrip("?"))}
        return redirect(login.url)

    @app.after_request
    def no_framing(response):
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Content-Security-Policy", content_security_policy)
        return response

    @app.get("/")
    def home():
        return render_template("home.html", person=signed_in())

    @app.get("/apply/<code>")
    def apply(code):
        person = signed_in()
        if person is None:
            return sign_in_first()
        if len(code) > 64:
            abort(404)
        return render_template("apply.html", person=person, code=code, name=_matter_name(app, code))

    @app.get("/login")
    def login():
        return redirect(url_for("home")) if signed_in() else sign_in_first()

    @app.get("/callback")
    def callback():
        pending = session.pop(PENDING_LOGIN_KEY, None)
        try:
            tokens, claims = oidc.finish_login(pending, request.args, callback_url())
            identity = identity_from_claims(claims, KNOWN_ROLES)
        except TokenRejected as error:
            app.logger.warning("sign-in refused: %s", error.reason)
            return render_template("refused.html"), 400
        except SsoUnavailable:
            return render_template("unavailable.html"), 503
        session.clear()
        session[SESSION_KEY] = store.start(identity, tokens["id_token"])
        return redirect(pending["next"])

    @app.post("/logout")
    def logout():
        person = signed_in()
        session.clear()
        if person is None:
            return redirect(url_for("home"))
        store.end(person["id"])
        try:
            return redirect(oidc.end_session_url(person["id_token"], f"{app.config['BASE_URL']}/"))
        except SsoUnavailable:
            return redirect(url_for("home"))

    @app.post("/backchannel-logout")
    @csrf.exempt
    def backchannel_logout():
        try:
            claims = oidc.validate_logout_token(request.form.get("logout_token", ""))
        except TokenRejected as error:
            return jsonify({"error": "invalid_request", "error_description": error.reason}), 400
        except SsoUnavailable:
            return jsonify({"error": "temporarily_unavailable"}), 503
        store.end_for_logout(claims.get("sid"), claims.get("sub"))
        return jsonify({})

    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    return app


def _matter_name(app, code):
    """The matter's name from the portal's public API; None when the portal cannot say."""
    try:
        response = requests.get(f"{app.config['PORTAL_BASE_URL']}/api/v1/matters/{requests.utils.quote(code)}",
                                timeout=2)
        return response.json().get("name") if response.status_code == 200 else None
    except (requests.RequestException, ValueError):
        return None


app = create_app()
