"""Home page, health and readiness probes, and the language switch."""

from flask import current_app, jsonify, redirect, render_template, request

from portal import page_cache
from portal.health import readiness
from portal.i18n import LOCALE_COOKIE
from portal.main import main
from portal.permissions import public
from portal.safety import safe_local_path

HOME_PAGE_SECONDS = 300


@main.route("/")
@public
def index():
    from portal.catalogue.home import home_sections

    page_cache.share(max_age=HOME_PAGE_SECONDS)  # 热门事项 follow use, which moves no generation
    return render_template("main/index.html", **home_sections())


@main.route("/healthz")
@public
def healthz():
    return jsonify({"status": "ok"})


@main.route("/readyz")
@public
def readyz():
    checks = readiness()
    ready = all(value == "ok" for value in checks.values())
    return jsonify(checks), 200 if ready else 503


@main.route("/language/<locale>")
@public
def set_language(locale):
    """A plain link, so it works without JavaScript; it changes only a display preference."""
    response = redirect(safe_local_path(request.args.get("next")))
    if locale in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LOCALE_COOKIE, locale, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response
