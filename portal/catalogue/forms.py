from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from portal.models.catalogue import RATING_LEVELS


class RatingForm(FlaskForm):
    level = RadioField(_l("评价等级"), coerce=int,
                       choices=[SelectChoice(level, _l(label)) for level, label in RATING_LEVELS.items()],
                       validators=[DataRequired(_l("请选择评价等级。"))])
    comment = TextAreaField(_l("评价内容（选填）"), validators=[
        Optional(), Length(max=500, message=_l("评价内容不能超过 500 字。"))])


class RectifyForm(FlaskForm):
    response = TextAreaField(_l("整改情况"), validators=[DataRequired(_l("请填写整改情况。")), Length(max=2000)])


class AppealForm(FlaskForm):
    reason = TextAreaField(_l("申诉理由"), validators=[DataRequired(_l("请填写申诉理由。")), Length(max=2000)])


class DecisionForm(FlaskForm):
    decision = RadioField(_l("复核结论"), choices=[SelectChoice("uphold", _l("申诉成立，该评价不计入统计")),
                                                 SelectChoice("reject", _l("申诉不成立，部门须继续整改"))],
                          validators=[DataRequired(_l("请选择复核结论。"))])
    note = TextAreaField(_l("复核意见"), validators=[Optional(), Length(max=2000)])
