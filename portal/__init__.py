"""The portal's application factory."""

from urllib.parse import urlsplit

from flask import Flask, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import database, errors, i18n, page_cache, permissions, request_logging, static_assets, templating
from portal.config import REPO_ROOT, config_for, production_problems
from portal.extensions import babel, csrf, db, keycloak_client, limiter, login_manager, migrate, search_client
from portal.json_provider import OrjsonProvider


def create_app(config=None):
    """Build the app. `config` is a config name ("development", "test", "production"),
    a config class, or a dict of overrides applied on top of the environment's config."""
    app = Flask(__name__, instance_relative_config=True)
    app.json = OrjsonProvider(app)
    if config is None or isinstance(config, dict):
        app.config.from_object(config_for())
        app.config.update(config or {})
    elif isinstance(config, str):
        app.config.from_object(config_for(config))
    else:
        app.config.from_object(config)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production")
    if app.config.get("PORTAL_ENV") == "production" and (problems := production_problems(app.config)):
        raise RuntimeError("refusing to start in production: " + "; ".join(problems))
    if app.config.get("PROXY_FIX_HOPS"):
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    page_cache.init_app(app)  # first: its after_request hooks run last
    request_logging.init_app(app)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(REPO_ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    search_client.init_app(app)
    keycloak_client.init_app(app)
    errors.init_app(app)
    permissions.init_app(app)
    static_assets.init_app(app)

    from portal import models  # noqa: F401 - registers the tables

    _register_blueprints(app)
    from portal import display_mode; display_mode.init_app(app)  # noqa: E702, I001 - 适老化 mode switch
    templating.init_app(app)  # every Jinja filter, global and context processor
    _register_workflow_hooks()
    _add_security_headers(app)
    _register_commands(app)
    return app


def _register_blueprints(app):
    from portal import auth as sign_in
    from portal.api import api
    from portal.auth import auth
    from portal.catalogue import catalogue
    from portal.dept_sites import dept_sites
    from portal.editor import editor
    from portal.hotline import hotline
    from portal.interaction import interaction
    from portal.knowledge import knowledge
    from portal.main import main
    from portal.site_search.admin import search_admin
    from portal.site_search.pages import search_pages

    app.register_blueprint(main)
    app.register_blueprint(auth)
    sign_in.init_app(app)  # request hooks: the SSO session check, bearer tokens
    app.register_blueprint(api)
    app.register_blueprint(catalogue)
    app.register_blueprint(editor)
    app.register_blueprint(knowledge)
    app.register_blueprint(hotline)
    app.register_blueprint(dept_sites)
    app.register_blueprint(search_pages)
    app.register_blueprint(search_admin)
    app.register_blueprint(interaction)
    from portal.oversight import oversight; app.register_blueprint(oversight)  # noqa: E702, I001 - /admin/
    from portal.open_data import open_data; app.register_blueprint(open_data)  # noqa: E702, I001 - /open/


def _register_workflow_hooks():
    """What other areas do inside the publishing transaction (portal.workflow's published_hooks)."""
    from portal.knowledge import stale

    stale.register()  # answers citing a changed matter are flagged 待复核; republishing clears the flag


def _register_commands(app):
    from portal.commands import register

    register(app)


def _origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _add_security_headers(app):
    # Everything is served from this host: no CDN, no external fonts. No <base> may re-point relative
    # URLs, and forms post only here (and to Keycloak: signing out is a form whose answer redirects there).
    form_targets = " ".join(filter(None, ["'self'", _origin(app.config.get("KEYCLOAK_URL"))]))
    policy = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
        f"base-uri 'none'; form-action {form_targets}; frame-ancestors 'none'"
    )

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Content-Security-Policy", policy)
        if request.is_secure and app.config.get("HSTS_SECONDS"):
            response.headers.setdefault("Strict-Transport-Security",
                                        f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains")
        if request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        elif request.endpoint != "static" and current_user.is_authenticated:
            # A signed-in page can show personal data (a caller's full number): no cache may keep it.
            response.headers["Cache-Control"] = "no-store"
        return response
