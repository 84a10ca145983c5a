"""Forms of 政民互动: writing a message."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from portal.editor.fields import strip_or_none
from portal.interaction.service import KIND_LABELS

TITLE_CHARS = (5, 100)
BODY_CHARS = (10, 5000)


def _digits_only(value):
    return "".join(char for char in value if char.isdigit()) if value else value


def _optional_id(value):
    return int(value) if value not in (None, "", "None") and str(value).isdigit() else None


class MessageForm(FlaskForm):
    kind = RadioField(_l("留言类型"), choices=[SelectChoice(value, label) for value, label in KIND_LABELS.items()],
                      default="consult",
                      validators=[DataRequired(message=_l("请选择留言类型。"))])
    leader = SelectField(_l("写信给"), choices=[], validate_choice=False, filters=[strip_or_none])
    department_id = SelectField(_l("留言部门"), coerce=_optional_id, choices=[], validate_choice=False)
    title = StringField(
        _l("标题"),
        [DataRequired(message=_l("请填写标题。")),
         Length(min=TITLE_CHARS[0], max=TITLE_CHARS[1],
                message=_l("标题应为 %(min)d 到 %(max)d 字。", min=TITLE_CHARS[0], max=TITLE_CHARS[1]))],
        filters=[strip_or_none],
    )
    body = TextAreaField(
        _l("留言内容"),
        [DataRequired(message=_l("请填写留言内容。")),
         Length(min=BODY_CHARS[0], max=BODY_CHARS[1],
                message=_l("留言内容应为 %(min)d 到 %(max)d 字。", min=BODY_CHARS[0], max=BODY_CHARS[1]))],
        filters=[strip_or_none], render_kw={"rows": 10},
    )
    publishable = RadioField(_l("是否同意公开"), choices=[SelectChoice("yes", _l("同意公开（个人信息将被遮盖）")),
                                                     SelectChoice("no", _l("不公开"))],
                             validators=[InputRequired(message=_l("请选择是否同意公开。"))])
    contact_phone = StringField(
        _l("联系电话（选填，仅承办部门可见）"),
        [Optional(), Regexp(r"^\d{7,15}$", message=_l("联系电话应为 7 到 15 位数字。"))],
        filters=[strip_or_none, _digits_only], render_kw={"inputmode": "tel", "autocomplete": "tel"},
    )
    confirmed = BooleanField(_l("我已知晓：公开时其中的电话号码和身份证号码将被遮盖"))

    def __init__(self, *args, departments=(), leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = [SelectChoice("", _l("不确定（由 12345 中心分办）"))] + [
            SelectChoice(value, label) for value, label in departments]
        self.leader.choices = [SelectChoice("", _l("请选择领导"))] + [
            SelectChoice(value, label) for value, label in leaders]
        self._department_ids = {str(value) for value, _label in departments}
        self._leaders = {value for value, _label in leaders}

    def validate_department_id(self, field):
        if field.data is not None and str(field.data) not in self._department_ids:
            raise ValidationError(_l("请选择列表中的部门。"))

    def validate_leader(self, field):
        if self.kind.data != "leader":
            return
        if not self._leaders:
            raise ValidationError(_l("暂无公布了领导信息的部门网站，请选择其他留言类型。"))
        if field.data not in self._leaders:
            raise ValidationError(_l("请选择要写信的领导。"))


MAX_REPLY_CHARS = 10_000
MAX_REASON_CHARS = 500


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (签收)."""


class RouteForm(FlaskForm):
    category = SelectField(_l("分类"), choices=[], validate_choice=False, filters=[strip_or_none],
                           validators=[DataRequired(message=_l("请选择分类。"))])
    department_id = SelectField(_l("承办部门"), coerce=_optional_id, choices=[], validate_choice=False,
                                validators=[DataRequired(message=_l("请选择承办部门。"))])

    def __init__(self, *args, categories=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", _l("请选择分类"))] + [SelectChoice(path, path) for path in categories]
        self.department_id.choices = [SelectChoice("", _l("请选择部门"))] + [
            SelectChoice(value, label) for value, label in departments]
        self._categories = set(categories)
        self._department_ids = {value for value, _label in departments}

    def validate_category(self, field):
        if field.data and field.data not in self._categories:
            raise ValidationError(_l("请选择分类体系中的分类。"))

    def validate_department_id(self, field):
        if field.data is not None and field.data not in self._department_ids:
            raise ValidationError(_l("请选择列表中的部门。"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("理由"), [DataRequired(message=_l("请填写理由。")),
                                      Length(max=MAX_REASON_CHARS, message=_l("理由最多 %(max)d 字。",
                                                                              max=MAX_REASON_CHARS))],
                           filters=[strip_or_none], render_kw={"rows": 2})


class TransferForm(ReasonForm):
    department_id = SelectField(_l("转办给"), coerce=_optional_id, choices=[], validate_choice=False)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = [SelectChoice("", _l("退回 12345 中心重新分办"))] + [
            SelectChoice(value, label) for value, label in departments]


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("答复内容"), [DataRequired(message=_l("请填写答复内容。")),
                                       Length(max=MAX_REPLY_CHARS, message=_l("答复最多 %(max)d 字。",
                                                                              max=MAX_REPLY_CHARS))],
                         filters=[strip_or_none], render_kw={"rows": 8})


class ReviewForm(FlaskForm):
    decision = RadioField(_l("审核意见"), choices=[SelectChoice("approve", _l("通过，发送给留言人")),
                                                  SelectChoice("return", _l("退回修改"))],
                          validators=[InputRequired(message=_l("请选择审核意见。"))])
    comment = TextAreaField(_l("退回意见"), [Optional(), Length(max=MAX_REASON_CHARS)], filters=[strip_or_none],
                            render_kw={"rows": 2})


class RatingForm(FlaskForm):
    rating = RadioField(_l("您对答复是否满意"), choices=[SelectChoice("satisfied", _l("满意")),
                                                      SelectChoice("basically_satisfied", _l("基本满意")),
                                                      SelectChoice("dissatisfied", _l("不满意"))],
                        validators=[InputRequired(message=_l("请选择评价。"))])
