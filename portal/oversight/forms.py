"""Forms of the oversight pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from portal.models.oversight import DECISIONS, PLATFORM_KINDS, PLATFORM_STATUSES


def _origin_only(form, field):
    """Base URLs are scheme://host[:port]: /go/ follows handling URLs on that origin only."""
    from urllib.parse import urlsplit

    if field.data:
        parts = urlsplit(field.data.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") \
                or parts.query or parts.fragment:
            raise ValidationError(_l("请填写 http(s)://主机名[:端口]，不带路径。"))


class PlatformForm(FlaskForm):
    name = StringField(_l("平台名称"), [DataRequired(message=_l("请填写平台名称。")), Length(max=200)])
    department_id = SelectField(_l("所属部门"), coerce=int, validate_choice=True)
    base_url = StringField(_l("访问地址（电脑端）"), [DataRequired(message=_l("请填写访问地址。")), Length(max=500),
                                              URL(require_tld=False, message=_l("请填写有效的网址。")), _origin_only])
    mobile_base_url = StringField(_l("访问地址（移动端，可不填）"),
                                  [Optional(), Length(max=500), URL(require_tld=False), _origin_only])
    kind = SelectField(_l("类型"), choices=[(key, _l(label)) for key, label in PLATFORM_KINDS.items()])
    status = SelectField(_l("状态"), choices=[(key, _l(label)) for key, label in PLATFORM_STATUSES.items()])
    sso_client_id = StringField(_l("单点登录客户端 ID（未对接请留空）"), [Optional(), Length(max=100)])
    contact = StringField(_l("联系人及电话"), [Optional(), Length(max=200)])
    notes = TextAreaField(_l("备注"), [Optional(), Length(max=2000)])
    is_down = BooleanField(_l("暂停服务（在线办理按钮改为停机说明）"))
    downtime_message = StringField(_l("停机说明"), [Optional(), Length(max=500)])


class MergeForm(FlaskForm):
    duplicate_code = StringField(_l("要并入本平台的重复平台编码"),
                                 [DataRequired(message=_l("请填写重复平台的编码。")), Length(max=64)])
    comment = StringField(_l("说明"), [Optional(), Length(max=300)])


class DecisionForm(FlaskForm):
    decision = SelectField(_l("决定"), choices=[(key, _l(label)) for key, label in DECISIONS.items()])
    merge_into_code = StringField(_l("并入的平台编码（决定为并入时填写）"), [Optional(), Length(max=64)])
    retire_by = DateField(_l("下线期限（决定为限期下线时填写）"), [Optional()])
    note = StringField(_l("说明"), [Optional(), Length(max=500)])


class EmptyForm(FlaskForm):
    """Just the CSRF token, for action buttons."""
