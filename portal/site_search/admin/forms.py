"""Forms of the search administration pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class SynonymForm(FlaskForm):
    terms = TextAreaField(
        _l("同义词（用逗号分隔，至少两个）"),
        [DataRequired(message=_l("请填写同义词。")), Length(max=1000)],
    )


class LexiconForm(FlaskForm):
    term = StringField(_l("俗称（群众的说法）"), [DataRequired(message=_l("请填写俗称。")), Length(max=50)])
    officials = TextAreaField(
        _l("规范用语（事项名称中的说法，用逗号分隔）"),
        [DataRequired(message=_l("请填写规范用语。")), Length(max=1000)],
    )
    note = StringField(_l("来源或备注"), [Optional(), Length(max=200)])
    enabled = BooleanField(_l("启用"), default=True)


class BestBetForm(FlaskForm):
    query = StringField(_l("搜索词"), [DataRequired(message=_l("请填写搜索词。")), Length(max=100)])
    matter_code = StringField(_l("事项编码"), [DataRequired(message=_l("请填写事项编码。")), Length(max=64)])
    position = IntegerField(_l("排位（1 为最前）"), [Optional(), NumberRange(min=1, max=10)], default=1)
    expires_on = DateField(_l("有效期至（含当天，可不填）"), [Optional()])
    comment = StringField(_l("备注"), [Optional(), Length(max=300)])


class DeleteForm(FlaskForm):
    """Just the CSRF token, for delete buttons."""
