"""Flask-WTF forms of the editors' pages; the write API validates through the same classes."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import FieldList
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput

from portal.editor.fields import CheckboxesField, LinesField, OptionalSelectField, YesNoField, strip_or_none
from portal.models import ARTICLE_COLUMNS, MATTER_TYPES
from portal.models.matter import AUDIENCES, HANDLING_TYPES, LEVELS

TEXT = {"filters": [strip_or_none]}


def _url():
    return [Optional(), URL(require_tld=False, message=_l("请填写以 http:// 或 https:// 开头的完整网址。")),
            Length(max=1000)]


def _days():
    return [Optional(), NumberRange(min=0, max=3650, message=_l("请填写 0 到 3650 之间的整数。"))]


def _required(what):
    return [DataRequired(message=_l("请填写%(what)s。", what=what))]


class ItemForm(Form):
    """业务办理项."""

    name = StringField(_l("办理项名称"), _required(_l("办理项名称")) + [Length(max=300)], **TEXT)
    situation = OptionalSelectField(_l("情形"), options=("新设", "变更", "延续", "注销", "其他"))
    code = StringField(_l("办理项编码"), [Optional(), Length(max=80)], **TEXT)
    handling_url = StringField(_l("办理地址"), _url(), **TEXT)


class MaterialForm(Form):
    name = StringField(_l("材料名称"), _required(_l("材料名称")) + [Length(max=500)], **TEXT)
    original_or_copy = OptionalSelectField(_l("原件/复印件"), options=("原件", "复印件", "原件和复印件"))
    medium = OptionalSelectField(_l("载体"), options=("纸质", "电子", "纸质或电子"))
    requirement = OptionalSelectField(_l("是否必要"), options=("必要", "非必要", "容缺"))
    copies = IntegerField(_l("份数"), [Optional(), NumberRange(min=0, max=99, message=_l("份数应为 0 到 99。"))])
    source_channel = StringField(_l("来源渠道"), [Optional(), Length(max=200)], **TEXT)
    blank_form_url = StringField(_l("空白表格"), _url(), **TEXT)
    sample_url = StringField(_l("示例样表"), _url(), **TEXT)
    note = StringField(_l("备注"), **TEXT)


class FeeForm(Form):
    item = StringField(_l("收费项目"), _required(_l("收费项目")) + [Length(max=300)], **TEXT)
    standard = StringField(_l("收费标准"), [Optional(), Length(max=500)], **TEXT)
    basis = StringField(_l("收费依据"), **TEXT)
    reduction = StringField(_l("减免政策"), **TEXT)


class LegalBasisForm(Form):
    title = StringField(_l("法律法规名称"), _required(_l("法律法规名称")) + [Length(max=300)], **TEXT)
    article = TextAreaField(_l("条款内容"), **TEXT)


class StepForm(Form):
    name = StringField(_l("环节名称"), _required(_l("环节名称")) + [Length(max=200)], **TEXT)
    description = TextAreaField(_l("办理要求"), **TEXT)
    time_limit = StringField(_l("时限"), [Optional(), Length(max=100)], **TEXT)


class FaqForm(Form):
    question = StringField(_l("问题"), _required(_l("问题")), **TEXT)
    answer = TextAreaField(_l("解答"), _required(_l("解答")), **TEXT)


class LockedForm(FlaskForm):
    """The version the editor started from, for optimistic locking."""

    lock_version = IntegerField(widget=HiddenInput(), validators=[Optional()])

    LIST_NAMES = ()

    def payload(self):
        """The submitted content as a snapshot-shaped dict for portal.workflow."""
        return {name: value for name, value in self.data.items() if name not in ("csrf_token", "lock_version")}


class MatterForm(LockedForm):
    code = StringField(_l("事项编码"), _required(_l("事项编码")) + [
        Length(max=64), Regexp(r"^[A-Za-z0-9_.\-]+$", message=_l("事项编码只能包含字母、数字、点、横线和下划线。")),
    ], **TEXT)
    name = StringField(_l("事项名称"), _required(_l("事项名称")) + [Length(max=300)], **TEXT)
    base_name = StringField(_l("基本目录名称"), [Optional(), Length(max=300)], **TEXT)
    short_name = StringField(_l("俗称"), [Optional(), Length(max=200)], **TEXT)
    aliases = LinesField(_l("其他常用叫法（每行一个）"))
    matter_type = OptionalSelectField(_l("事项类型"), options=MATTER_TYPES)
    level = OptionalSelectField(_l("行使层级"), options=LEVELS)
    co_departments = StringField(_l("联办机构"), **TEXT)
    region_code = StringField(_l("行政区划代码"), [Optional(), Length(max=12)], **TEXT)
    region_name = StringField(_l("行政区划"), [Optional(), Length(max=100)], **TEXT)
    audiences = CheckboxesField(_l("服务对象"), choices=[SelectChoice(a) for a in AUDIENCES])
    themes = LinesField(_l("主题分类（每行一个）"))
    life_events = LinesField(_l("一件事（每行一个）"))
    conditions = TextAreaField(_l("受理条件"), **TEXT)
    legal_time_limit_days = IntegerField(_l("法定办结时限（工作日）"), _days())
    promised_time_limit_days = IntegerField(_l("承诺办结时限（工作日）"), _days())
    time_limit_note = TextAreaField(_l("时限说明"), **TEXT)
    fee_free = YesNoField(_l("是否免费"))
    location = TextAreaField(_l("办理地点"), **TEXT)
    office_hours = TextAreaField(_l("办理时间"), **TEXT)
    consult_phone = StringField(_l("咨询电话"), [Optional(), Length(max=200)], **TEXT)
    complain_phone = StringField(_l("监督投诉电话"), [Optional(), Length(max=200)], **TEXT)
    handling_type = OptionalSelectField(_l("办件类型"), options=HANDLING_TYPES)
    online_depth = IntegerField(_l("网上办理深度（0–4）"), [Optional(), NumberRange(min=0, max=4)])
    # The national format asks for 0, 1 or 2, but imported guides do say 3: keep them editable.
    visits_required = IntegerField(_l("到办事现场次数"), [Optional(), NumberRange(min=0, max=9)])
    courier = YesNoField(_l("支持物流快递"))
    online_booking = YesNoField(_l("支持网上预约"))
    platform_id = SelectField(_l("办理平台"), coerce=lambda value: int(value) if value not in ("", None) else None,
                              validate_choice=True)
    handling_url = StringField(_l("PC 端办理地址"), _url(), **TEXT)
    mobile_handling_url = StringField(_l("移动端办理地址"), _url(), **TEXT)
    start_button_text = StringField(_l("办理按钮文字"), [Optional(), Length(max=50)], **TEXT)
    items = FieldList(FormField(ItemForm), label=_l("业务办理项"))
    materials = FieldList(FormField(MaterialForm), label=_l("申请材料"))
    steps = FieldList(FormField(StepForm), label=_l("办理流程"))
    fees = FieldList(FormField(FeeForm), label=_l("收费"))
    legal_bases = FieldList(FormField(LegalBasisForm), label=_l("设定依据"))
    faqs = FieldList(FormField(FaqForm), label=_l("常见问题"))

    LIST_NAMES = ("items", "materials", "steps", "fees", "legal_bases", "faqs")

    def set_platforms(self, platforms):
        self.platform_id.choices = [SelectChoice("", _l("不在线办理 / 未登记"))] + [
            SelectChoice(str(p.id), p.name) for p in platforms]


class ArticleForm(LockedForm):
    column = SelectField(_l("政务公开栏目"), choices=[SelectChoice(c) for c in ARTICLE_COLUMNS])
    title = StringField(_l("标题"), _required(_l("标题")) + [Length(max=300)], **TEXT)
    summary = TextAreaField(_l("摘要"), [Optional(), Length(max=1000)], **TEXT)
    body_html = TextAreaField(_l("正文（可用 HTML：段落、标题、列表、表格、链接）"), _required(_l("正文")), **TEXT)


class LeaderForm(Form):
    name = StringField(_l("姓名"), _required(_l("姓名")) + [Length(max=50)], **TEXT)
    title = StringField(_l("职务"), _required(_l("职务")) + [Length(max=100)], **TEXT)
    duties = TextAreaField(_l("分工"), **TEXT)


class SiteProfileForm(FlaskForm):
    introduction = TextAreaField(_l("部门简介（可用 HTML）"), **TEXT)
    leaders = FieldList(FormField(LeaderForm), label=_l("领导信息"))
    address = StringField(_l("办公地址"), [Optional(), Length(max=300)], **TEXT)
    phone = StringField(_l("联系电话"), [Optional(), Length(max=100)], **TEXT)
    office_hours = StringField(_l("办公时间"), [Optional(), Length(max=200)], **TEXT)
    website = StringField(_l("网站"), [Optional(), URL(require_tld=False, message=_l("请填写完整网址。")),
                                      Length(max=500)], **TEXT)

    LIST_NAMES = ("leaders",)

    def payload(self):
        return {name: value for name, value in self.data.items() if name != "csrf_token"}


class TransitionForm(FlaskForm):
    action = StringField(validators=[DataRequired()])
    lock_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    comment = TextAreaField(_l("意见"), [Optional(), Length(max=2000)], **TEXT)
    publish_at = StringField(_l("定时发布（北京时间，留空为立即发布）"), **TEXT)


class RestoreForm(FlaskForm):
    version = IntegerField(validators=[DataRequired()])
    lock_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
