"""Editor and reviewer pages, scoped to the signed-in person's department (admins choose one)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import workflow
from portal.dept_sites.profile import new_article_slug, profile_of, save_profile
from portal.editor import editor
from portal.editor.fields import apply_list_action
from portal.editor.forms import ArticleForm, MatterForm, RestoreForm, SiteProfileForm, TransitionForm
from portal.editor.service import (
    article_or_404,
    build_form,
    choose_department_page,
    department_platforms,
    field_labels,
    form_payload,
    list_filters,
    managed_department,
    matter_or_404,
    parse_publish_at,
    record_or_404,
    store_and_flash,
)
from portal.extensions import db
from portal.models import Answer, Article, InformationResource, Matter, User
from portal.models.base import STATUS_IN_REVIEW, STATUSES
from portal.permissions import roles_required
from portal.sanitize import safe_html

PAGE_SIZE = 50
EDITORS = ("editor", "reviewer")


@editor.route("/")
@roles_required(*EDITORS)
def index():
    department = managed_department()
    if department is None:
        return choose_department_page()
    status, query_text = list_filters()
    page = max(request.args.get("page", 1, type=int), 1)
    matters = db.select(Matter).where(Matter.department_id == department.id)
    if status:
        matters = matters.where(Matter.status == status)
    if query_text:
        matters = matters.where(Matter.name.contains(query_text, autoescape=True))
    matters = db.paginate(matters.order_by(Matter.updated_at.desc()), page=page, per_page=PAGE_SIZE,
                          error_out=False)
    articles = db.paginate(
        db.select(Article).where(Article.department_id == department.id).order_by(Article.updated_at.desc()),
        page=max(request.args.get("article_page", 1, type=int), 1), per_page=PAGE_SIZE, error_out=False,
    )
    return render_template("editor/index.html", department=department, matters=matters, articles=articles,
                           status=status, query_text=query_text, statuses=STATUSES)


@editor.route("/review")
@roles_required("reviewer")
def review_queue():
    department = managed_department()
    if department is None:
        return choose_department_page()
    waiting = [
        (kind, entity) for kind in workflow.KINDS.values()
        for entity in db.session.scalars(db.select(kind.model).where(
            kind.model.department_id == department.id,
            db.or_(kind.model.status == STATUS_IN_REVIEW, kind.model.edition_status == STATUS_IN_REVIEW),
        ).order_by(kind.model.updated_at))
    ]
    return render_template("editor/review.html", department=department, waiting=waiting)


@editor.route("/matters/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_matter():
    department = managed_department() or abort(404)
    return _edit_page(None, MatterForm, department)


@editor.route("/matters/<code>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_matter(code):
    matter = matter_or_404(code)
    return _edit_page(matter, MatterForm, matter.department)


@editor.route("/articles/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_article():
    department = managed_department() or abort(404)
    return _edit_page(None, ArticleForm, department)


@editor.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_article(article_id):
    article = article_or_404(article_id)
    return _edit_page(article, ArticleForm, article.department)


def _edit_page(entity, form_class, department):
    """Show, re-arrange (list buttons) or save the form of a new or existing record."""
    platforms = department_platforms(department.id) if form_class is MatterForm else None
    if request.method == "GET":
        form = build_form(form_class, entity, platforms_for=platforms)
        return _render_edit(entity, form, department)
    # The submitted lock_version overrides the stored one: it is the version this editor started from.
    form = build_form(form_class, entity, formdata=request.form, platforms_for=platforms)
    list_change = apply_list_action(data := form.data, request.form.get("list_action"), form_class.LIST_NAMES)
    if list_change:
        form = build_form(form_class, entity, data=data, platforms_for=platforms)
        return _render_edit(entity, form, department, focus=list_change)
    if not form.validate() or (entity is None and _code_taken(form)):
        return _render_edit(entity, form, department), 400
    entity, refusal = store_and_flash(entity, form_payload(form), form.lock_version.data,
                                      lambda payload: _create(form_class, payload, department))
    if refusal:
        return _render_edit(entity, form, department, refusal=refusal[0]), refusal[1]
    return redirect(edit_url(entity))


def _code_taken(form):
    if not isinstance(form, MatterForm):
        return False
    if db.session.scalar(db.select(Matter.id).where(Matter.code == form.code.data)):
        form.code.errors.append(_("事项编码已存在，请换一个。"))
        return True
    return False


def _create(form_class, payload, department):
    if form_class is MatterForm:
        return workflow.create(Matter, payload, current_user, department.id)
    return workflow.create(Article, {**payload, "slug": new_article_slug()}, current_user, department.id)


def _render_edit(entity, form, department, refusal=None, focus=None):
    kind = workflow.kind_of(entity) if entity is not None else None
    template = "editor/matter_form.html" if isinstance(form, MatterForm) else "editor/article_form.html"
    return render_template(
        template, entity=entity, form=form, department=department, refusal=refusal, focus=focus,
        kind=kind, can_save=entity is None or workflow.can_save(entity, current_user),
        actions=workflow.allowed_actions(entity, current_user) if entity is not None else [],
        transition_form=TransitionForm(formdata=None),
        # The stored article as readers will see it (cleaned again on display).
        preview=safe_html(entity.body_html) if isinstance(entity, Article) else None,
    )


def edit_url(entity):
    if isinstance(entity, Matter):
        return url_for("editor.edit_matter", code=entity.code)
    if isinstance(entity, Article):
        return url_for("editor.edit_article", article_id=entity.id)
    if isinstance(entity, InformationResource):
        return url_for("open_data.edit_resource", resource_id=entity.id)
    if isinstance(entity, Answer) and "knowledge.edit_answer" in current_app.view_functions:
        return url_for("knowledge.edit_answer", answer_id=entity.id)  # hotline answers are edited there
    return url_for("editor.history", entity_type=workflow.kind_of(entity).entity_type, entity_id=entity.id)


@editor.route("/<entity_type>/<int:entity_id>/transition", methods=["POST"])
@roles_required(*EDITORS)
def transition(entity_type, entity_id):
    entity = record_or_404(entity_type, entity_id)[1]
    form = TransitionForm()
    if not form.validate():
        abort(400)
    try:
        publish_at = parse_publish_at(form.publish_at.data) if form.action.data == "approve" else None
        workflow.transition(entity, form.action.data, current_user, expected_version=form.lock_version.data,
                            comment=form.comment.data, publish_at=publish_at)
    except ValueError as unreadable:
        flash(str(unreadable), "error")
    except workflow.WorkflowError as refused:
        flash(refused.message, "error")
    else:
        done = "schedule" if form.action.data == "approve" and entity.scheduled_publish_at else form.action.data
        flash(_("已完成：%(action)s。当前状态：%(status)s。", action=workflow.action_label(done),
                status=_status_text(entity)), "success")
    return redirect(edit_url(entity))


def _status_text(entity):
    if workflow.has_edition(entity):
        return _("已发布（修改稿：%(status)s）", status=workflow.status_label(entity.edition_status))
    return workflow.status_label(entity.status)


@editor.route("/<entity_type>/<int:entity_id>/history")
@roles_required(*EDITORS)
def history(entity_type, entity_id):
    kind, entity = record_or_404(entity_type, entity_id)
    versions = list(reversed(entity.versions))
    numbers = [version.version for version in versions]
    newer = request.args.get("b", type=int) or (numbers[0] if numbers else None)
    older = request.args.get("a", type=int) or (numbers[1] if len(numbers) > 1 else newer)
    changes = None
    if older in numbers and newer in numbers:
        changes = workflow.compare(workflow.find_version(entity, older).snapshot,
                                   workflow.find_version(entity, newer).snapshot)
    author_ids = {version.author_id for version in versions if version.author_id}
    authors = {user.id: user.display_name or user.username
               for user in db.session.scalars(db.select(User).where(User.id.in_(author_ids)))} if author_ids else {}
    return render_template(
        "editor/history.html", kind=kind, entity=entity, versions=versions, older=older, newer=newer, authors=authors,
        changes=changes, labels=field_labels(kind.entity_type), edit_url=edit_url(entity),
        can_save=workflow.can_save(entity, current_user), restore_form=RestoreForm(formdata=None),
    )


@editor.route("/<entity_type>/<int:entity_id>/restore", methods=["POST"])
@roles_required(*EDITORS)
def restore(entity_type, entity_id):
    kind, entity = record_or_404(entity_type, entity_id)
    form = RestoreForm()
    if not form.validate():
        abort(400)
    try:
        workflow.restore(entity, form.version.data, current_user, form.lock_version.data)
    except workflow.WorkflowError as refused:
        flash(refused.message, "error")
    else:
        flash(_("已恢复第 %(old)s 版的内容，保存为第 %(new)s 版。", old=form.version.data, new=entity.lock_version),
              "success")
    return redirect(url_for("editor.history", entity_type=kind.entity_type, entity_id=entity.id))


@editor.route("/site-profile", methods=["GET", "POST"])
@roles_required(*EDITORS)
def site_profile():
    department = managed_department()
    if department is None:
        return choose_department_page()
    if request.method == "GET":
        form = SiteProfileForm(formdata=None, data=profile_of(department))
        return render_template("editor/site_profile.html", form=form, department=department)
    form = SiteProfileForm()
    list_change = apply_list_action(data := form.data, request.form.get("list_action"), SiteProfileForm.LIST_NAMES)
    if list_change:
        form = SiteProfileForm(formdata=None, data=data)
        return render_template("editor/site_profile.html", form=form, department=department, focus=list_change)
    if not form.validate():
        return render_template("editor/site_profile.html", form=form, department=department), 400
    if save_profile(department, form.payload(), current_user):
        flash(_("部门网站信息已保存。"), "success")
    else:
        flash(_("没有改动，无需保存。"), "info")
    return redirect(url_for("editor.site_profile", department=department.id))


