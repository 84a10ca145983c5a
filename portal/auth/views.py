"""Thin views over portal.auth.signin."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth import auth
from portal.auth.forms import LogoutForm
from portal.auth.signin import SignInRefused, begin_login, complete_login, end_sessions_for_logout_token, sign_out
from portal.extensions import csrf
from portal.permissions import public, signed_in
from portal.safety import safe_local_path
from sso.oidc import SsoUnavailable, TokenRejected


def _refusal_message(reason):
    messages = {
        "state": _("登录请求已失效或来源不明（可能页面停留过久、重复提交或链接被改动），未能登录。请重新登录。"),
        "cancelled": _("您已取消登录。"),
        "error": _("统一身份认证未能完成登录，请重新登录。"),
        "token": _("登录凭证校验未通过，未能登录。请重新登录；如多次出现，请拨打 12345 反映。"),
        "credit_code": _("账户中的统一社会信用代码校验未通过，未能登录。请联系管理员更正后再试。"),
    }
    return messages.get(reason, messages["error"])


def _unavailable():
    return render_template("auth/unavailable.html"), 503


@auth.route("/login")
@public
def login():
    next_target = safe_local_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_target)
    try:
        return redirect(begin_login(next_target))
    except SsoUnavailable:
        return _unavailable()


@auth.route("/auth/callback")
@public
def callback():
    try:
        return redirect(complete_login(request.args))
    except SignInRefused as refusal:
        return render_template("auth/refused.html", message=_refusal_message(refusal.reason)), 400
    except SsoUnavailable:
        return _unavailable()


@auth.route("/logout", methods=["GET", "POST"])
@public
def logout():
    if not current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LogoutForm()
    if not form.validate_on_submit():
        return render_template("auth/logout.html", form=form)
    end_session_url = sign_out(url_for("main.index", _external=True))
    flash(_("您已安全退出。"), "success")
    return redirect(end_session_url or url_for("main.index"))


@auth.route("/auth/backchannel-logout", methods=["POST"])
@public
@csrf.exempt
def backchannel_logout():
    """Called by Keycloak, server to server, when a Keycloak session ends."""
    token = request.form.get("logout_token")
    try:
        if not token:
            raise TokenRejected("missing logout_token")
        end_sessions_for_logout_token(token)
    except TokenRejected as error:
        return _no_store(jsonify({"error": "invalid_request", "error_description": error.reason}), 400)
    except SsoUnavailable:
        return _no_store(jsonify({"error": "temporarily_unavailable"}), 503)
    return _no_store(jsonify({}), 200)


def _no_store(response, status):
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@auth.route("/me")
@signed_in
def me():
    role_labels = {
        "citizen": _("个人用户"), "enterprise": _("法人用户"), "editor": _("部门编辑"),
        "reviewer": _("审核人"), "operator": _("12345 话务员"), "admin": _("系统管理员"),
    }
    return render_template("auth/me.html", user=current_user, role_labels=role_labels)
