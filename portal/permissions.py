"""Who may open which route. Every view carries one of these decorators; a route without one
is refused (403) by `enforce_declared_permissions`, and tests/test_route_permissions.py walks
every route with every role.

    @public                          anyone, signed in or not
    @signed_in                       any signed-in user
    @roles_required("editor", ...)   a signed-in user holding one of the roles (admin always may)
"""

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from portal.errors import render_error
from portal.models.user import ROLES
from portal.safety import current_path

PUBLIC = "public"
SIGNED_IN = "signed_in"
STAFF_ROLES = ("editor", "reviewer", "operator", "admin")


def public(view):
    view.permission = PUBLIC
    return view


def _refuse_anonymous():
    if request.path.startswith("/api/"):
        response, status = render_error(401)
        response.headers["WWW-Authenticate"] = "Bearer"
        return response, status
    return redirect(url_for("auth.login", next=current_path()))


def signed_in(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return _refuse_anonymous()
        return view(*args, **kwargs)

    wrapper.permission = SIGNED_IN
    return wrapper


def roles_required(*roles):
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return _refuse_anonymous()
            if not current_user.has_role("admin", *roles):
                abort(403)
            return view(*args, **kwargs)

        wrapper.permission = tuple(roles)
        return wrapper

    return decorator


def can_manage_department(user, department_id):
    """Editors and reviewers act only on their own department's content; admins on all."""
    if not user.is_authenticated:
        return False
    if user.has_role("admin"):
        return True
    return user.has_role("editor", "reviewer") and user.department_id is not None \
        and user.department_id == department_id


def require_department(department_id):
    if not can_manage_department(current_user, department_id):
        abort(403)


def init_app(app):
    @app.before_request
    def enforce_declared_permissions():
        if request.endpoint is None or request.endpoint == "static":
            return None
        view = app.view_functions.get(request.endpoint)
        if getattr(view, "permission", None) is None:
            app.logger.error("route without a permission declaration", extra={"fields": {"endpoint": request.endpoint}})
            abort(403)
        return None
