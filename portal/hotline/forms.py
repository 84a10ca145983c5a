"""Forms of the operator console and the hand-off pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from portal.editor.fields import strip_or_none
from portal.models.hotline import CALL_OUTCOMES, FEEDBACK_KINDS

MAX_SUMMARY_CHARS = 2000
MAX_REPLY_CHARS = 5000
TEXT = {"filters": [strip_or_none]}


def _digits_only(value):
    return "".join(char for char in value if char.isdigit()) if value else value


class CallForm(FlaskForm):
    category = SelectField(_l("来电分类"), [DataRequired(message=_l("请选择来电分类。"))])
    summary = TextAreaField(
        _l("来电摘要"),
        [DataRequired(message=_l("请填写来电摘要。")),
         Length(max=MAX_SUMMARY_CHARS, message=_l("来电摘要最多 %(max)d 字，请精简后再保存。", max=MAX_SUMMARY_CHARS))],
        render_kw={"rows": 3}, **TEXT,
    )
    caller_phone = StringField(
        _l("来电号码"),
        [Optional(), Regexp(r"^\d{7,15}$", message=_l("来电号码应为 7 到 15 位数字。"))],
        filters=[strip_or_none, _digits_only], render_kw={"inputmode": "tel", "autocomplete": "off"},
    )
    outcome = RadioField(_l("处理结果"), choices=[SelectChoice(value) for value in CALL_OUTCOMES], default="resolved",
                         validators=[DataRequired(message=_l("请选择处理结果。"))])
    department_id = SelectField(_l("转交部门"), coerce=lambda value: int(value) if value else None,
                                validate_choice=False)
    answer_id = HiddenField(filters=[lambda value: int(value) if value and str(value).isdigit() else None])
    matter_code = HiddenField(filters=[strip_or_none])

    def validate_department_id(self, field):
        if self.outcome.data != "handed_off":
            return
        if not field.data:
            raise ValidationError(_l("转交部门时请选择承办部门。"))
        if field.data not in [choice.value for choice in field.choices]:
            raise ValidationError(_l("所选部门不存在，请重新选择。"))


class FeedbackForm(FlaskForm):
    kind = RadioField(choices=[SelectChoice(value) for value in FEEDBACK_KINDS],
                      validators=[DataRequired(message=_l("请选择反馈类型。"))])


class ReplyForm(FlaskForm):
    reply = TextAreaField(
        _l("答复内容"),
        [DataRequired(message=_l("请填写答复内容。")),
         Length(max=MAX_REPLY_CHARS, message=_l("答复最多 %(max)d 字。", max=MAX_REPLY_CHARS))],
        render_kw={"rows": 5}, **TEXT,
    )


class ActionForm(FlaskForm):
    """签收 / 办结: the CSRF token is the only field."""
