"""Error pages in the user's language; JSON for the API; never a stack trace."""

import contextlib
import traceback

from flask import Response, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, SecurityError


def _messages():
    return {
        400: (_("请求有误"), _("提交的内容无法处理，请检查后重试。")),
        401: (_("未登录"), _("请先登录或提供有效的访问令牌。")),
        403: (_("没有访问权限"), _("您没有权限访问此页面。如需办理，请先登录或联系管理员。")),
        404: (_("页面不存在"), _("您访问的页面不存在或已被撤下。可以试试搜索。")),
        405: (_("请求方式不被允许"), _("此页面不支持这种请求方式。")),
        413: (_("提交的内容过大"), _("提交的内容超过了允许的大小，请删减后重试。")),
        414: (_("网址过长"), _("您访问的网址太长，无法处理。请检查链接，或从首页重新查找。")),
        429: (_("请求过于频繁"), _("您的请求太多，请稍后再试。")),
        500: (_("系统出错了"), _("服务器发生了错误，我们已记录。请稍后再试，或拨打 12345 咨询。")),
        503: (_("服务暂时不可用"), _("系统正在维护或暂时繁忙，请稍后再试，或拨打 12345 咨询。")),
    }


def render_error(code, message=None):
    fallback = (_("请求无法完成"), _("请求无法完成，请检查后重试，或拨打 12345 咨询。"))
    title, default_message = _messages().get(code, fallback)
    message = message or default_message
    if request.path.startswith("/api/"):
        return jsonify({"error": {"code": code, "title": title, "message": message}}), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


# No listing here has this many pages; a larger number (page=99999999999999999999) would overflow the
# database's OFFSET. Checked for every page-number parameter, whoever's view reads it.
MAX_PAGE_NUMBER = 10_000
# Longer addresses get the portal's own 414 page (gunicorn.conf.py lets request lines up to 8190 bytes through).
MAX_URL_LENGTH = 4096


def _absurd_page_number():
    for name, value in request.args.items(multi=True):
        if name != "page" and not name.endswith("_page"):
            continue
        digits = value.strip().lstrip("+-")
        if digits.isdigit() and (len(digits) > 9 or int(digits) > MAX_PAGE_NUMBER):
            return True
    return False


def init_app(app):
    @app.before_request
    def refuse_absurd_page_numbers():
        if len(request.environ.get("RAW_URI") or request.full_path) > MAX_URL_LENGTH:
            return render_error(414)
        if _absurd_page_number():
            return render_error(400, _("页码须为 1 到 %(max)s 之间的整数。", max=MAX_PAGE_NUMBER))
        return None

    @app.teardown_appcontext
    def drop_a_dead_session(exception):
        """Runs before Flask-SQLAlchemy's own teardown (registered later): a session whose connection the
        database closed (PostgreSQL stopping) fails to roll back; that must not turn an answer already made
        (the 503 page) into gunicorn's bare 500."""
        from portal.extensions import db

        with contextlib.suppress(SQLAlchemyError):
            db.session.remove()

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("表单已过期或来源不明，请刷新页面后重新提交。"))

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        """A Host header outside TRUSTED_HOSTS: nothing is routed, so no page with links can be built."""
        return Response(_("请求的主机名不被信任。请通过门户的正式网址访问。"), 400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error):
        response = make_response(render_error(error.code))
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error):
        if database_unreachable(error):
            # The database is down or restarting: a clear 503, nothing half-written (the request's transaction
            # never committed), and the pool (pool_pre_ping) reconnects by itself once it is back.
            app.logger.error("database unavailable", extra={"fields": {"error": type(error).__name__}})
            _rollback_quietly()
            _anonymous_for_this_answer()
            return render_error(503, _("数据库暂时无法连接，您的操作未被保存。请稍后再试，或拨打 12345 咨询。"))
        if isinstance(error, DBAPIError):
            app.logger.error("unhandled database error", extra={"fields": database_error_fields(error)})
        else:
            app.logger.exception("unhandled error")
        return render_error(InternalServerError.code)


def database_unreachable(error):
    """The database could not be reached or dropped the connection (not a bad statement or a conflict)."""
    if isinstance(error, (DisconnectionError, PoolTimeoutError)):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError) and getattr(getattr(error, "orig", None), "sqlstate", None) in (
        None, "08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03")


def _anonymous_for_this_answer():
    """The error page must not load the signed-in user from the database it could not reach (the page's
    header asks for current_user): this one answer is rendered as for a visitor; the session is kept."""
    from portal.extensions import login_manager

    g._login_user = login_manager.anonymous_user()


def _rollback_quietly():
    from portal.extensions import db

    with contextlib.suppress(Exception):  # the connection is gone; the pool drops it
        db.session.rollback()


def database_error_fields(error):
    """What to log of a database error: its kind, SQLSTATE, statement and where it was raised, never the
    server's message, whose DETAIL repeats the row's values (a rating comment, a caller's number)."""
    original = getattr(error, "orig", None)
    return {
        "error": type(original or error).__name__,
        "sqlstate": getattr(original, "sqlstate", None) or getattr(original, "pgcode", None),
        "statement": (error.statement or "")[:1000],
        "traceback": "".join(traceback.format_tb(error.__traceback__)[-8:]),
    }
