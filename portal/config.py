"""Configuration from environment variables, with safe development defaults.

`create_app(config_name)` picks one of these classes; `PORTAL_ENV` chooses when no
name is given (development | test | production), else `FLASK_ENV=production` means production.
Production refuses to start with development secrets, short keys, insecure cookies or no trusted
host (`production_problems`).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent


def _env(name, default):
    return os.environ.get(name, default)


def _env_list(name, default):
    value = os.environ.get(name)
    items = default if value is None else value.split(",")
    return [item.strip() for item in items if item and item.strip()]


def _host_of(url):
    return urlsplit(url).hostname or ""


def _env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    PORTAL_ENV = "development"
    # Development-only key; production refuses to start without SECRET_KEY (see ProductionConfig).
    SECRET_KEY = _env("SECRET_KEY", "dev-only-insecure-secret-key")
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL", f"sqlite:///{REPO_ROOT / 'instance' / 'portal.db'}")
    # Bound parameters (a rating comment, a caller's words) never appear in SQLAlchemy's error messages.
    # The rest of the engine options (pool_pre_ping, pool size, SQLite timeout) are per database in portal/database.py.
    SQLALCHEMY_ENGINE_OPTIONS = {"hide_parameters": True}
    # One request may not send more than this (a body of 100,000 rows once held a worker at 2.4 GB): 413.
    MAX_CONTENT_LENGTH = int(_env("MAX_CONTENT_LENGTH", str(1024 * 1024)))

    ELASTICSEARCH_URL = _env("ELASTICSEARCH_URL", f"http://127.0.0.1:{_env('ES_PORT', '9200')}")
    # Every index and alias name starts with this prefix, so test runs never touch the portal's indexes.
    SEARCH_INDEX_PREFIX = _env("SEARCH_INDEX_PREFIX", "portal")
    SEARCH_TIMEOUT_SECONDS = float(_env("SEARCH_TIMEOUT_SECONDS", "2"))
    # Identical searches within this many seconds share one answer (0 switches the cache off).
    SEARCH_RESULT_CACHE_SECONDS = float(_env("SEARCH_RESULT_CACHE_SECONDS", "1"))
    # Anonymous visitors asking for the same /search page share one rendering while the search
    # generation stays put, for at most this many seconds (0 switches it off): a change made
    # searchable moves the generation, so it shows at once (portal/site_search/pages/page_cache.py).
    SEARCH_PAGE_CACHE_SECONDS = float(_env("SEARCH_PAGE_CACHE_SECONDS", "300"))
    # Public pages shared among anonymous visitors while the content generation stays put, for at
    # most this many seconds (0 switches it off); max-age a CDN may serve them without asking
    # (0: it revalidates each time, so a change still shows at once). See portal/page_cache.py.
    PUBLIC_PAGE_CACHE_SECONDS = float(_env("PUBLIC_PAGE_CACHE_SECONDS", "3600"))
    PUBLIC_PAGE_CACHE_SIZE = int(_env("PUBLIC_PAGE_CACHE_SIZE", "2000"))
    PUBLIC_PAGE_MAX_AGE = int(_env("PUBLIC_PAGE_MAX_AGE", "0"))
    # Guide views and link-throughs are written this often, off the request path (portal/popularity.py);
    # 热门事项 needs link-throughs from this many distinct visitors.
    POPULARITY_FLUSH_SECONDS = float(_env("POPULARITY_FLUSH_SECONDS", "2"))
    POPULAR_MIN_VISITORS = int(_env("POPULAR_MIN_VISITORS", "5"))

    KEYCLOAK_URL = _env("KEYCLOAK_URL", f"http://127.0.0.1:{_env('KC_PORT', '8080')}")
    KEYCLOAK_MANAGEMENT_URL = _env("KEYCLOAK_MANAGEMENT_URL", f"http://127.0.0.1:{_env('KC_MGMT_PORT', '9000')}")
    KEYCLOAK_REALM = _env("KEYCLOAK_REALM", "portal")
    KEYCLOAK_CLIENT_ID = _env("KEYCLOAK_CLIENT_ID", "portal")
    # Development-only client secret, the same one the realm JSON in sso/realm/ declares.
    KEYCLOAK_CLIENT_SECRET = _env("KEYCLOAK_CLIENT_SECRET", "dev-only-portal-secret")
    KEYCLOAK_TIMEOUT_SECONDS = float(_env("KEYCLOAK_TIMEOUT_SECONDS", "3"))
    # A token naming an unknown key refetches the realm's JWKS at most this often (forged kids are cheap).
    KEYCLOAK_JWKS_MIN_REFETCH_SECONDS = float(_env("KEYCLOAK_JWKS_MIN_REFETCH_SECONDS", "10"))
    # Every signed-in session must belong to a live Keycloak session (ended by back-channel logout).
    SSO_SESSION_REQUIRED = True
    KEYCLOAK_ADMIN_USERNAME = _env("KC_BOOTSTRAP_ADMIN_USERNAME", "admin")
    KEYCLOAK_ADMIN_PASSWORD = _env("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin")
    PORTAL_BASE_URL = _env("PORTAL_BASE_URL", f"http://127.0.0.1:{_env('PORTAL_PORT', '8000')}")
    # Requests naming another Host are refused (400): links and redirects built from the Host header
    # could otherwise point anywhere. Comma-separated; a leading dot accepts subdomains; ports are ignored.
    TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS", ["127.0.0.1", "localhost", _host_of(PORTAL_BASE_URL)])
    # Behind a reverse proxy, how many proxies set X-Forwarded-For/-Proto/-Host (0: none, headers ignored).
    PROXY_FIX_HOPS = int(_env("PROXY_FIX_HOPS", "0"))
    # Strict-Transport-Security on answers served over HTTPS.
    HSTS_SECONDS = int(_env("HSTS_SECONDS", str(365 * 24 * 3600)))

    SHARED_DATA_DIR = Path(_env("PORTAL_SHARED_DATA", str(REPO_ROOT.parent / "shared" / "data")))

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = {"zh_CN": "中文", "en": "English"}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None

    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_DEFAULT = _env("RATELIMIT_DEFAULT", "")

    # 政民互动: messages each user may send, and the time limits in working days (签收; reply per kind).
    INTERACTION_MESSAGE_RATE_LIMIT = _env("INTERACTION_MESSAGE_RATE_LIMIT", "5/hour;20/day")
    INTERACTION_ACCEPT_WORKING_DAYS = int(_env("INTERACTION_ACCEPT_WORKING_DAYS", "1"))
    INTERACTION_REPLY_WORKING_DAYS = {"consult": 5, "help": 15, "complaint": 15, "suggestion": 15, "leader": 15}

    # Open data (portal/open_data/): bulk downloads each client (signed-in user or bearer token, else the
    # address) may make, in Flask-Limiter's notation ("30/minute;600/hour"); and how many searches a query
    # needs in a week before the search-weekly dataset publishes it (rarer ones could identify a person).
    OPEN_DATA_DOWNLOAD_LIMIT = _env("OPEN_DATA_DOWNLOAD_LIMIT", "30/minute;600/hour")
    OPEN_DATA_MIN_QUERY_COUNT = int(_env("OPEN_DATA_MIN_QUERY_COUNT", "5"))

    # Readiness probes must answer fast even when a server hangs.
    READINESS_TIMEOUT_SECONDS = float(_env("READINESS_TIMEOUT_SECONDS", "1.5"))
    LOG_LEVEL = _env("LOG_LEVEL", "INFO")


class DevelopmentConfig(Config):
    PORTAL_ENV = "development"
    # Plain http on loopback during development; production keeps Secure cookies.
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # `flask platforms check` probes only platforms on this machine (the demo platform) unless 0: a
    # development machine reaches no real department platform and should send them nothing.
    PLATFORM_CHECK_LOOPBACK_ONLY = _env_bool("PLATFORM_CHECK_LOOPBACK_ONLY", True)


class TestConfig(DevelopmentConfig):
    PORTAL_ENV = "test"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = _env("TEST_DATABASE_URL", "sqlite://")
    SEARCH_INDEX_PREFIX = _env("TEST_SEARCH_INDEX_PREFIX", "test-portal")
    # Tests index and search again at once: every search must see the latest index.
    SEARCH_RESULT_CACHE_SECONDS = 0
    SEARCH_PAGE_CACHE_SECONDS = 0
    PUBLIC_PAGE_CACHE_SECONDS = 0
    POPULARITY_FLUSH_SECONDS = 0
    RATELIMIT_ENABLED = False
    # Test helpers sign users in by writing the Flask-Login session directly (tests/conftest.py).
    SSO_SESSION_REQUIRED = False


class ProductionConfig(Config):
    PORTAL_ENV = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # No development default for the client secret in production (sso/client.py refuses to start).
    KEYCLOAK_CLIENT_SECRET = os.environ.get("KEYCLOAK_CLIENT_SECRET")
    TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS", [_host_of(Config.PORTAL_BASE_URL)])


# The development-only values committed in this repository (config defaults and the realm JSON).
DEVELOPMENT_SECRETS = frozenset({
    "dev-only-insecure-secret-key", "dev-only-portal-secret", "dev-only-portal-test-secret",
    "dev-only-dept-demo-secret", "dev-only-dept-demo-secret-key", "dev-only-dept-demo-test-secret",
    "dev-only-portal-api-system-demo-secret",
    "admin", "demo", "secret", "changeme",
})
MIN_SECRET_KEY_LENGTH = 32


def _development_value(value):
    return value in DEVELOPMENT_SECRETS or str(value).startswith("dev-only")


def production_problems(config):
    """Why `config` must not serve production (empty when it may)."""
    problems = []
    secret_key = config.get("SECRET_KEY")
    if not secret_key:
        problems.append("SECRET_KEY must be set in production")
    elif _development_value(secret_key):
        problems.append("SECRET_KEY is a development-only value")
    elif len(secret_key) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters")
    client_secret = config.get("KEYCLOAK_CLIENT_SECRET")
    if not client_secret:
        problems.append("KEYCLOAK_CLIENT_SECRET must be set in production")
    elif _development_value(client_secret):
        problems.append("KEYCLOAK_CLIENT_SECRET is a development-only value")
    # The Keycloak administrator the portal provisions users with: `admin` is Keycloak's own default.
    if _development_value(config.get("KEYCLOAK_ADMIN_PASSWORD") or "admin"):
        problems.append("KEYCLOAK_ADMIN_PASSWORD (KC_BOOTSTRAP_ADMIN_PASSWORD) is a development-only value")
    for cookie in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if not config.get(cookie):
            problems.append(f"{cookie} must be on in production (cookies only over HTTPS)")
    if not config.get("TRUSTED_HOSTS"):
        problems.append("TRUSTED_HOSTS must name the portal's host names in production")
    return problems


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for(name=None):
    name = name or os.environ.get("PORTAL_ENV") or \
        ("production" if os.environ.get("FLASK_ENV") == "production" else "development")
    if name not in CONFIGS:
        raise RuntimeError(f"PORTAL_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
