"""Locale choice: Simplified Chinese by default, English when chosen (remembered in a cookie)."""

from functools import lru_cache

from babel import Locale, support
from flask import current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

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


def translations():
    """This request's catalogue: Flask-Babel's lookup (locale, domain, catalogue) done once per
    request (app context) and kept on `g` beside Flask-Babel's own per-request locale, instead of on
    every call. Outside an app context, no translation, as Flask-Babel. (Nothing here changes the
    language within a request; flask_babel.refresh() or force_locale() would not reach what is kept.)"""
    try:
        return g._portal_translations
    except AttributeError:
        kept = g._portal_translations = get_translations()
        return kept
    except RuntimeError:  # no app context
        return support.NullTranslations()


# The templates' _(), gettext() and ngettext() (and pgettext, npgettext): what jinja2.ext's
# "newstyle" callables do with Flask-Babel's (the translation marked safe when autoescaping is on,
# then always %-formatted, so its variables are escaped and "%%" is a percent sign), reading this
# request's catalogue through translations() (and gettext skips formatting a text that has neither
# variables nor "%", which it leaves as it is). Registered for every template by portal.templating.

def _formatted(context, text, variables):
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 -- our own catalogue's text, marked safe as jinja2.ext marks it
    # "%" formatting without variables changes only a text with "%" in it ("%%"): most have none.
    return text % variables if variables or "%" in text else text


@pass_context
def template_gettext(context, string, **variables):
    return _formatted(context, translations().ugettext(string), variables)


@pass_context
def template_ngettext(context, singular, plural, num, **variables):
    variables.setdefault("num", num)
    return _formatted(context, translations().ungettext(singular, plural, num), variables)


@pass_context
def template_pgettext(context, string_context, string, **variables):
    variables.setdefault("context", string_context)
    return _formatted(context, translations().upgettext(string_context, string), variables)


@pass_context
def template_npgettext(context, string_context, singular, plural, num, **variables):
    variables.setdefault("context", string_context)
    variables.setdefault("num", num)
    return _formatted(context, translations().unpgettext(string_context, singular, plural, num), variables)


def template_callables():
    """Jinja's names for them. `_` is gettext itself (jinja2.ext's `_` looks `gettext` up in the
    template's context on every call)."""
    return {"_": template_gettext, "gettext": template_gettext, "ngettext": template_ngettext,
            "pgettext": template_pgettext, "npgettext": template_npgettext}


def translated(value):
    """`{{ value | translated }}`: data shown in the user's language (a theme, a level label). Unlike
    `_()`, whose result Jinja marks safe, this returns plain text that autoescaping escapes, and never
    %-formats: data with markup or a "%" in it is shown as typed. `_()` is for literal msgids only."""
    if value is None:
        return ""
    return str(translations().ugettext(str(value)))
