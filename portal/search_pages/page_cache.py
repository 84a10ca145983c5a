"""A cache of rendered /search pages, shared only by visitors who are not signed in.

A page is shared only when nothing on it is the visitor's own: no signed-in user (whose name,
staff links and CSRF token the header shows) and an empty session (no flashed message, no form
token). A page is kept while the search generation stays put (portal/search_generation.py: it
moves when the sync worker has made a change searchable, an index is rebuilt, or synonyms or
best bets are edited) and for at most SEARCH_PAGE_CACHE_SECONDS (300 s; 0 = off, as under
TestConfig), for what pages show besides results (popular matters on an empty page). The day is
in the key too: best bets expire by date. Each process keeps at most PAGE_CACHE_SIZE pages.
Degraded answers (database fallback) and staff views are never stored. A page served from here
is still counted in the query log: the entry keeps the log row to write again.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from portal import search_generation
from portal.display_mode import elder_mode

PAGE_CACHE_SIZE = 256  # pages of about 40 KB: some 10 MB per process at most


class PageCache:
    """Pages by key, each for `max_age` seconds after it was stored, at most `size` of them (the
    oldest go first). Safe to share between threads."""

    def __init__(self, size=PAGE_CACHE_SIZE, clock=time.monotonic):
        self.size = size
        self.clock = clock
        self.pages = OrderedDict()  # key → (stored at, page, log entry); oldest first
        self.lock = threading.Lock()

    def get(self, key, max_age):
        """(page, log entry) stored under key less than max_age seconds ago, or None."""
        with self.lock:
            found = self.pages.get(key)
        if found is None or self.clock() - found[0] >= max_age:
            return None
        return found[1], found[2]

    def put(self, key, page, log_entry=None):
        with self.lock:
            self.pages.pop(key, None)
            while len(self.pages) >= self.size:
                self.pages.popitem(last=False)
            self.pages[key] = (self.clock(), page, log_entry)


def shareable():
    """True when this request's page may be served to other visitors, and theirs to this one."""
    return not current_user.is_authenticated and not session


def search_state():
    """What a shared results page depends on besides content: the search generation and the day."""
    return search_generation.current(), date.today()


def page_key():
    """The search generation, the day, the locale and the query string (decoded and encoded again
    in its own order: the page's links keep that order)."""
    return (search_generation.current(), date.today(), str(get_locale()), elder_mode(),
            urlencode(list(request.args.items(multi=True))))


@dataclass(frozen=True)
class SharedPage:
    """This request's place in the cache."""

    cache: PageCache
    key: tuple
    max_age: float

    def get(self):
        return self.cache.get(self.key, self.max_age)

    def put(self, page, log_entry=None):
        self.cache.put(self.key, page, log_entry)


def for_request():
    """This request's SharedPage, or None when its page is not to be shared. Ask before rendering:
    rendering takes flashed messages out of the session."""
    max_age = current_app.config["SEARCH_PAGE_CACHE_SECONDS"]
    if max_age <= 0 or not shareable():
        return None
    app = current_app._get_current_object()
    cache = app.extensions.get("search_page_cache") or app.extensions.setdefault("search_page_cache", PageCache())
    return SharedPage(cache, page_key(), max_age)
