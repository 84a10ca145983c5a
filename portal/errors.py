"""Error pages in the user's language; JSON for the API; never a stack trace."""

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


def _messages():
    return {
        400: (_("请求有误"), _("提交的内容无法处理，请检查后重试。")),
        401: (_("未登录"), _("请先登录或提供有效的访问令牌。")),
        403: (_("没有访问权限"), _("您没有权限访问此页面。如需办理，请先登录或联系管理员。")),
        404: (_("页面不存在"), _("您访问的页面不存在或已被撤下。可以试试搜索。")),
        405: (_("请求方式不被允许"), _("此页面不支持这种请求方式。")),
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


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("表单已过期或来源不明，请刷新页面后重新提交。"))

    @app.errorhandler(HTTPException)
    def http_error(error):
        return render_error(error.code)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("unhandled error")
        return render_error(InternalServerError.code)
