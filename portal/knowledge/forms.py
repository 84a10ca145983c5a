"""Forms of the knowledge pages: an answer (through the editorial workflow) and the review mark."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.editor.fields import LinesField, strip_or_none
from portal.editor.forms import LockedForm

TEXT = {"filters": [strip_or_none]}
MAX_ANSWER_CHARS = 20_000


class AnswerForm(LockedForm):
    question = StringField(_l("标准问题"), [DataRequired(message=_l("请填写标准问题。")), Length(max=500)], **TEXT)
    phrasings = LinesField(_l("来电常见问法（每行一个）"))
    public_answer = TextAreaField(
        _l("对外答复口径（公开）"),
        [DataRequired(message=_l("请填写对外答复口径。")),
         Length(max=MAX_ANSWER_CHARS, message=_l("答复口径最多 %(max)d 字。", max=MAX_ANSWER_CHARS))],
        render_kw={"rows": 8}, **TEXT,
    )
    internal_note = TextAreaField(_l("内部提示（仅话务员可见）"),
                                  [Optional(), Length(max=10_000, message=_l("内部提示最多 %(max)d 字。", max=10_000))],
                                  render_kw={"rows": 4}, **TEXT)
    category = StringField(_l("分类"), [Optional(), Length(max=200)], **TEXT)
    valid_until = DateField(_l("有效期至"), [Optional()], format="%Y-%m-%d",
                            render_kw={"placeholder": "2027-12-31"})
    matters = LinesField(_l("关联事项编码（每行一个）"))
    public = BooleanField(_l("公开为常见问题（审核通过后在“常见问题”栏目对公众显示）"), default=True)


class ReviewForm(FlaskForm):
    """Marks a 待复核 answer as checked (the CSRF token is the only field)."""
