"""Public pages rendered once per content change and shared among visitors who are not signed in.

A view that shows the same page to every anonymous visitor calls `share()` (the guide page passes
what to do on each view it serves from here: count it). Its response is then kept by a small WSGI
layer in front of Flask (`SharedPages`), and the next anonymous request for the same path, query
and display cookies (language, 适老化 mode…) is answered from memory without entering Flask at
all: the cost of a hello-world response. A page is kept while the content generation stays put
(portal/content_generation.py: every publish, withdrawal, correction or other change to what
public pages show moves it, so a change shows on the next request), or while what the view names
with `depends_on` stays put instead (/search pages and suggestions: the search generation and the
day), and for at most PUBLIC_PAGE_CACHE_SECONDS (an hour: anything a page shows changes through a
write that moves the generation; the home page asks for 5 minutes, as its 热门事项 follow use, and
/search pages for SEARCH_PAGE_CACHE_SECONDS). An htmx request (HX-Request) is keyed apart: its
fragment is shared only with other htmx requests.

Shared only when nothing on the page is the visitor's own: the request carries no session,
remember-me or Authorization; the response is a 200 with no cookie set,
rendered for a visitor who is not signed in and left the session empty (no flashed message, no
form token). Every shared page carries an ETag and Last-Modified (a revalidation answers 304) and
`Cache-Control: public, no-cache` (a CDN in front may store it and must revalidate, so a change
still shows at once; PUBLIC_PAGE_MAX_AGE > 0 lets it serve pages that old), `Vary: Cookie,
Accept-Encoding, HX-Request`, and is sent gzip-compressed to clients that accept it (compressed once, when
stored). Each process keeps at most PUBLIC_PAGE_CACHE_SIZE pages, the least recently stored going
first. One cache per app (app.extensions), as every per-process store here.
"""

import gzip
import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.cookies import SimpleCookie

from flask import current_app, request, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from portal import content_generation

ENVIRON_KEY = "portal.shared_page"
ACTIVE_KEY = "portal.shared_pages"  # set when the request may share a page
GZIP_LEVEL = 6
GZIP_MINIMUM = 500  # bytes; smaller bodies are sent as they are
COMPRESSIBLE = ("text/html", "text/css", "text/plain", "application/json", "application/javascript",
                "text/javascript", "application/ld+json", "image/svg+xml", "application/xml",
                "application/atom+xml", "text/csv")
# Headers a stored page does not replay: each response gets its own.
_NOT_STORED = {"content-length", "content-encoding", "x-request-id", "set-cookie", "date", "etag",
               "last-modified", "cache-control", "vary"}
access_log = logging.getLogger("portal.access")


@dataclass
class Shared:
    """The view's request to share its page: on_hit() runs for each visitor served from memory.
    A page is kept while what it depends on stays put: the content generation, unless the view
    names something else with depends_on() (search pages: the search generation and the day),
    whose value is taken now and compared on each hit. On a hit both run in front of Flask with
    no app context (pushing one costs more than the rest of a hit): the view binds what they need
    when it makes them (popularity.view_counter, site_search's query_logger and search_state)."""

    on_hit: object = None
    depends_on: object = None
    token: object = None
    max_age: float = None


def share(on_hit=None, depends_on=None, max_age=None):
    """Offer this request's page for sharing (kept only if the request and response qualify), for
    at most max_age seconds (default PUBLIC_PAGE_CACHE_SECONDS; shorter for a page showing what
    changes without an edit, such as popularity). Returns the offer (its on_hit may be set later,
    once the view knows it), or None."""
    if not request.environ.get(ACTIVE_KEY):
        return None
    limit = current_app.config["PUBLIC_PAGE_CACHE_SECONDS"]
    shared = request.environ[ENVIRON_KEY] = Shared(on_hit, depends_on, depends_on() if depends_on else None,
                                                   min(limit, max_age) if max_age is not None else limit)
    return shared


def withdraw():
    """This request's page is not to be shared after all (say, a degraded answer)."""
    request.environ.pop(ENVIRON_KEY, None)


def compressible(mimetype):
    return (mimetype or "").split(";")[0].strip() in COMPRESSIBLE


@dataclass
class Page:
    stored_at: float  # monotonic
    status: str
    headers: list
    body: bytes
    gzipped: bytes
    etag: str
    last_modified: str
    on_hit: object
    depends_on: object = None
    token: object = None  # the value of depends_on() (or of the content generation) it was rendered under
    max_age: float = 0


def _http_date(timestamp):
    return formatdate(timestamp, usegmt=True)


class SharedPages:
    """WSGI middleware: answers anonymous GETs for shared pages from memory, stores new ones."""

    def __init__(self, wsgi_app, app):
        self.wsgi_app = wsgi_app
        self.app = app
        self.pages = OrderedDict()
        self.lock = threading.Lock()
        self.private_cookies = {app.config["SESSION_COOKIE_NAME"],
                                app.config.get("REMEMBER_COOKIE_NAME", "remember_token")}

    # -- the key ---------------------------------------------------------------------------------

    def key(self, environ):
        """(host, path, query, display cookies, htmx or not), or None when this request may not
        share a page. An htmx request is answered with a fragment: shared only with htmx requests."""
        if environ.get("REQUEST_METHOD") != "GET" or "HTTP_AUTHORIZATION" in environ:
            return None
        cookie_header = environ.get("HTTP_COOKIE", "")
        cookies = ()
        if cookie_header:
            parsed = SimpleCookie()
            try:
                parsed.load(cookie_header)
            except Exception:  # noqa: BLE001 - an unreadable cookie header: not shared
                return None
            if self.private_cookies & set(parsed):
                return None
            cookies = tuple(sorted((name, morsel.value) for name, morsel in parsed.items()))
        # The host too: a page naming its own address must never be served under another one.
        return (environ.get("HTTP_HOST", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), cookies,
                environ.get("HTTP_HX_REQUEST") == "true")

    # -- WSGI ------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        key = self.key(environ) if self.app.config["PUBLIC_PAGE_CACHE_SECONDS"] > 0 else None
        if key is None:
            return self.wsgi_app(environ, start_response)
        try:
            generation = content_generation.reader(self.app).get()[0]
        except SQLAlchemyError:
            # The database is unreachable: nothing is shared; the application answers (its 503 page).
            return self.wsgi_app(environ, start_response)
        environ[ACTIVE_KEY] = True
        page = self.pages.get(key)
        if page is not None and time.monotonic() - page.stored_at < page.max_age and self.unchanged(page, generation):
            if page.on_hit is not None:
                page.on_hit()
            return self.serve(page, environ, start_response, hit=True)
        return self.render(key, generation, environ, start_response)

    def unchanged(self, page, generation):
        """Whether what the page depends on (the content generation, read now, unless the view named
        something else) is still what it was rendered under."""
        if page.depends_on is None:
            return page.token == generation
        try:
            return page.depends_on() == page.token
        except SQLAlchemyError:
            return False  # rendered again, where the application's error handling answers

    def render(self, key, generation, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: captured.setdefault("written", []).append(data)

        iterable = self.wsgi_app(environ, capture)
        if environ.get(ENVIRON_KEY) is None and "status" in captured and not captured.get("written"):
            # Not offered for sharing: passed on as it comes, so a streamed download stays streamed.
            start_response(captured["status"], captured["headers"], captured.get("exc_info"))
            return iterable
        try:
            body = b"".join([*captured.get("written", []), *iterable])
        finally:
            if hasattr(iterable, "close"):
                iterable.close()
        shared = environ.get(ENVIRON_KEY)
        headers = captured["headers"]
        names = {name.lower() for name, _ in headers}
        if shared is None or not captured["status"].startswith("200") or "set-cookie" in names \
                or "content-encoding" in names:
            start_response(captured["status"], headers, captured.get("exc_info"))
            return [body]
        page = self.store(key, generation, captured["status"], headers, body, shared)
        return self.serve(page, environ, start_response, hit=False)

    def store(self, key, generation, status, headers, body, shared):
        kept = [(name, value) for name, value in headers if name.lower() not in _NOT_STORED]
        mimetype = next((value for name, value in headers if name.lower() == "content-type"), "")
        gzipped = gzip.compress(body, GZIP_LEVEL, mtime=0) \
            if compressible(mimetype) and len(body) >= GZIP_MINIMUM else None
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        token = shared.token if shared.depends_on is not None else generation
        page = Page(time.monotonic(), status, kept, body, gzipped, etag, _http_date(time.time()),
                    shared.on_hit, shared.depends_on, token, shared.max_age)
        size = self.app.config["PUBLIC_PAGE_CACHE_SIZE"]
        with self.lock:
            self.pages.pop(key, None)
            while len(self.pages) >= size:
                self.pages.popitem(last=False)
            self.pages[key] = page
        return page

    def serve(self, page, environ, start_response, hit):
        max_age = self.app.config["PUBLIC_PAGE_MAX_AGE"]
        common = [("ETag", page.etag), ("Last-Modified", page.last_modified),
                  ("Cache-Control", f"public, max-age={max_age}" if max_age > 0 else "public, no-cache"),
                  ("Vary", "Cookie, Accept-Encoding, HX-Request"), ("X-Request-ID", uuid.uuid4().hex)]
        if _not_modified(page, environ):
            start_response("304 Not Modified", common)
            status, body = 304, b""
        else:
            status = 200
            if page.gzipped is not None and "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
                body, encoding = page.gzipped, [("Content-Encoding", "gzip")]
            else:
                body, encoding = page.body, []
            start_response(page.status, [*page.headers, *common, *encoding, ("Content-Length", str(len(body)))])
        if hit and access_log.isEnabledFor(logging.INFO):
            access_log.info("request", extra={"fields": {
                "request_id": common[-1][1], "method": "GET", "path": environ.get("PATH_INFO", ""),
                "status": status, "duration_ms": 0.0, "shared": True}})
        return [body]


def _not_modified(page, environ):
    tags = environ.get("HTTP_IF_NONE_MATCH")
    if tags is not None:
        return page.etag in tags or tags.strip() == "*"
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        try:
            return parsedate_to_datetime(since) >= parsedate_to_datetime(page.last_modified)
        except (TypeError, ValueError):
            return False
    return False


def _withdraw_unless_shareable(response):
    """A page offered with share() is kept only for a visitor not signed in with an empty session."""
    shared = request.environ.get(ENVIRON_KEY)
    if shared is not None and (response.status_code != 200 or current_user.is_authenticated or session
                               or response.direct_passthrough):
        request.environ.pop(ENVIRON_KEY, None)
    return response


def _compress(response):
    """gzip for text responses that are not shared pages (those are compressed once, when stored)."""
    if (ENVIRON_KEY in request.environ or response.direct_passthrough or response.status_code < 200
            or response.status_code in (204, 304) or "Content-Encoding" in response.headers
            or not compressible(response.mimetype) or "gzip" not in request.headers.get("Accept-Encoding", "")
            or response.is_streamed):
        return response
    body = response.get_data()
    if len(body) < GZIP_MINIMUM:
        return response
    response.set_data(gzip.compress(body, GZIP_LEVEL))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    if response.headers.get("ETag"):
        response.headers["ETag"] = response.headers["ETag"].rstrip('"') + '-gzip"'
    return response


def init_app(app):
    """Put the shared pages in front of the app and gzip its other text responses. Called first in
    create_app, so these after_request hooks run last, when every other one has set its headers. Its settings
    (PUBLIC_PAGE_CACHE_SECONDS, _SIZE, PUBLIC_PAGE_MAX_AGE) and their defaults are in portal/config.py."""
    app.after_request(_compress)
    app.after_request(_withdraw_unless_shareable)
    app.wsgi_app = SharedPages(app.wsgi_app, app)
    app.extensions["shared_pages"] = app.wsgi_app


def clear(app=None):
    """Forget every shared page of this app (tests and tools)."""
    pages = (app or current_app).extensions.get("shared_pages")
    if pages is not None:
        with pages.lock:
            pages.pages.clear()
