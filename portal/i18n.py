"""Locale choice: Simplified Chinese by default, English when chosen (remembered in a cookie)."""

from functools import lru_cache

from babel import Locale
from flask import current_app, has_request_context, request
from flask_babel import get_locale

from portal.safety import current_path

LOCALE_COOKIE = "portal_locale"


# Parsing a locale name scans all of Babel's locale names: done once per name, not per request.
_parsed = lru_cache(maxsize=8)(Locale.parse)


def select_locale():
    if not has_request_context():  # CLI commands and workers: the default language
        return _parsed(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = request.args.get("lang") or request.cookies.get(LOCALE_COOKIE)
    if chosen in current_app.config["LANGUAGES"]:
        return _parsed(chosen)
    return _parsed(current_app.config["BABEL_DEFAULT_LOCALE"])


def template_globals():
    """`current_locale` and `current_path` (path plus query) for every template."""
    return {"current_locale": str(get_locale()), "current_path": current_path()}



def translated(value):
    """`{{ value | translated }}`: data shown in the user's language (a theme, a level label). Unlike
    `_()`, whose result Jinja marks safe, this returns plain text that autoescaping escapes, and never
    %-formats: data with markup or a "%" in it is shown as typed. `_()` is for literal msgids only."""
    if value is None:
        return ""
    from flask_babel import gettext

    return str(gettext(str(value)))
