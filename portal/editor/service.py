"""What the editor pages and the write API share: finding a department's records with the
permission check, turning forms into workflow calls, and labels for history and diffs."""

from datetime import datetime

from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from flask_babel import to_utc
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from portal import workflow
from portal.editor.forms import ArticleForm, MatterForm
from portal.extensions import db
from portal.models import Article, Department, Matter, Platform
from portal.models.base import STATUSES
from portal.permissions import require_department
from portal.sanitize import clean_html
from portal.workflow import kind_named, working_snapshot

FORMS = {"matter": MatterForm, "article": ArticleForm}
# Snapshot fields no form edits, named for the history page.
EXTRA_LABELS = {
    "department_id": "所属部门", "source": "数据来源", "platform_name": "办理平台（原始数据）",
    "source_handling_url": "办理地址（原始数据）", "slug": "网址名称",
}


def managed_department():
    """The department the signed-in editor works on: their own, or for an admin the one chosen
    with ?department=<id> (None until chosen)."""
    if current_user.department_id and not current_user.has_role("admin"):
        return current_user.department
    chosen = request.values.get("department", type=int) or current_user.department_id
    department = db.session.get(Department, chosen) if chosen else None
    if department is not None:
        require_department(department.id)
    return department


def choose_department_page():
    """For an admin who has not picked a department yet: the list to pick from."""
    departments = db.session.scalars(db.select(Department).order_by(Department.name)).all()
    return render_template("editor/choose_department.html", departments=departments)


def list_filters():
    """(status, text) filters of a content list from the query string, cleaned."""
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    return status, (request.args.get("q") or "").strip()[:100]


def matter_or_404(code):
    matter = db.session.scalar(db.select(Matter).where(Matter.code == code)) or abort(404)
    require_department(matter.department_id)
    return matter


def article_or_404(article_id):
    article = db.session.get(Article, article_id) or abort(404)
    require_department(article.department_id)
    return article


def record_or_404(entity_type, entity_id):
    kind = kind_named(entity_type)
    if kind is None:
        abort(404)
    entity = db.session.get(kind.model, entity_id) or abort(404)
    require_department(entity.department_id)
    return kind, entity


def build_form(form_class, entity=None, formdata=None, data=None, platforms_for=None, **form_options):
    """A form holding `entity`'s content (or `data`), overlaid with submitted `formdata`."""
    if data is None:
        data = working_snapshot(entity) if entity is not None else {}
        # A submitted form must carry the version it started from; the stored one never fills in.
        data["lock_version"] = entity.lock_version if entity is not None and formdata is None else None
    form = form_class(formdata=formdata, data=data, **form_options)
    if isinstance(form, MatterForm):
        form.set_platforms(platforms_for or [])
        if entity is not None:
            del form.code  # the code names the matter in URLs and links; it is set once
    return form


def department_platforms(department_id):
    return db.session.scalars(
        db.select(Platform).order_by(Platform.department_id != department_id, Platform.name)
    ).all()


def form_payload(form):
    payload = form.payload()
    if "body_html" in payload:
        payload["body_html"] = clean_html(payload["body_html"])
    return payload


def formdata_from_json(form_class, document):
    """Flatten a JSON body (snapshot-shaped) into form data, so the API validates exactly as the pages do."""
    flat = MultiDict()
    for name, value in document.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for index, row in enumerate(value):
                for key, item in (row or {}).items():
                    flat.add(f"{name}-{index}-{key}", _form_text(item))
        elif name in ("aliases", "themes", "life_events") and isinstance(value, list):
            flat.add(name, "\n".join(str(item) for item in value))
        elif isinstance(value, list):
            for item in value:
                flat.add(name, _form_text(item))
        else:
            flat.add(name, _form_text(value))
    return flat


def _form_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def parse_publish_at(text):
    """A datetime-local value in the reader's time zone → naive UTC; None when empty.
    Raises ValueError with a message for the reviewer when it cannot be read."""
    if not text:
        return None
    try:
        local = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(_("定时发布时间格式不正确，请按“年-月-日 时:分”填写。")) from None
    return to_utc(local)


def field_labels(entity_type):
    labels = dict(EXTRA_LABELS)
    form_class = FORMS.get(entity_type)
    if form_class is not None:
        form = form_class(formdata=None, meta={"csrf": False})
        labels.update({field.short_name: str(field.label.text) for field in form})
    return labels


def store_and_flash(entity, payload, lock_version, create):
    """Save `payload` on `entity` through the workflow, or `create(payload)` a new record when
    `entity` is None, and flash what happened. Returns (record, None), or (record, (message,
    HTTP status)) when the workflow refused (409 for someone else's newer save)."""
    try:
        if entity is None:
            entity = create(payload)
            flash(_("已新建草稿。"), "success")
        elif workflow.save(entity, payload, current_user, lock_version):
            flash(_("已保存（第 %(version)s 版）。", version=entity.lock_version), "success")
        else:
            flash(_("没有改动，无需保存。"), "info")
    except workflow.StaleEdit as refused:
        return entity, (refused.message, 409)
    except workflow.WorkflowError as refused:
        return entity, (refused.message, 403)
    return entity, None
