"""Which /search pages (and suggestions) are shared, kept in front of Flask by portal/page_cache.py.

A page is shared only when nothing on it is the visitor's own: no signed-in user (whose name,
staff links and CSRF token the header shows) and an empty session (no flashed message, no form
token). It is kept while the search generation stays put (portal/site_search/generation.py: it moves
when the sync worker has made a change searchable, an index is rebuilt, or synonyms, lexicon or
best bets are edited) and the day is the same (best bets expire by date), for at most
SEARCH_PAGE_CACHE_SECONDS (300 s; 0 = off, as under TestConfig), for what pages show besides
results (popular matters on an empty page). Degraded answers (database fallback) and staff views
are never shared. A page served from memory is still counted in the query log (the view sets what
each hit logs).
"""

from datetime import date

from flask import current_app, session
from flask_login import current_user

from portal import page_cache as shared_pages
from portal.site_search import generation as search_generation


def shareable():
    """True when this request's page may be served to other visitors, and theirs to this one."""
    return not current_user.is_authenticated and not session


def search_state():
    """What a shared results page depends on instead of content: a function returning the search
    generation and the day, bound to this app's reader so that it needs no app context (a hit is
    answered in front of Flask)."""
    reader = search_generation.reader()
    return lambda: (reader.get()[0], date.today())


def offer():
    """Offer this request's page for sharing (see portal/page_cache.py), or None when it is not to
    be shared. Ask before rendering: rendering takes flashed messages out of the session."""
    max_age = current_app.config["SEARCH_PAGE_CACHE_SECONDS"]
    if max_age <= 0 or not shareable():
        return None
    return shared_pages.share(depends_on=search_state(), max_age=max_age)
