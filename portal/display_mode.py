"""适老化 mode (工信部《互联网网站适老化通用设计规范》): larger text (body 20 px), text contrast of
at least 7:1, larger click targets, the same content. A plain link on every page switches it and a
cookie remembers it, so it works without JavaScript; `static/css/elder.css` is loaded only then."""

from flask import Blueprint, current_app, redirect, request

from portal.permissions import public
from portal.safety import safe_local_path

MODE_COOKIE = "display_mode"
ELDER = "elder"
STANDARD = "standard"

display_mode = Blueprint("display_mode", __name__)


def elder_mode():
    """Whether the visitor chose 适老化 mode (False outside a request)."""
    return bool(request) and request.cookies.get(MODE_COOKIE) == ELDER


@display_mode.route("/display/<mode>")
@public
def switch(mode):
    """A plain link, like the language switch: it changes only a display preference."""
    response = redirect(safe_local_path(request.args.get("next")))
    if mode == ELDER:
        response.set_cookie(MODE_COOKIE, ELDER, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    elif mode == STANDARD:
        response.delete_cookie(MODE_COOKIE, httponly=True, samesite="Lax",
                               secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def init_app(app):
    app.register_blueprint(display_mode)
