"""Pages of the knowledge base: editors' answer list, edit form and 待复核 list; the public FAQ."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import page_cache, workflow
from portal.editor.forms import TransitionForm
from portal.editor.service import managed_department
from portal.extensions import db
from portal.knowledge import knowledge, service, stale
from portal.knowledge.forms import AnswerForm, ReviewForm
from portal.models import Answer
from portal.models.base import STATUS_PUBLISHED, STATUSES
from portal.permissions import public, require_department, roles_required
from portal.site_search.params import page_of
from portal.site_search.service import find, make_params

EDITORS = ("editor", "reviewer")
PAGE_SIZE = 50


def _answer_or_404(answer_id):
    answer = db.session.get(Answer, answer_id) or abort(404)
    require_department(answer.department_id)
    return answer


def _choose_department():
    from portal.models import Department

    departments = db.session.scalars(db.select(Department).order_by(Department.name)).all()
    return render_template("editor/choose_department.html", departments=departments)


@knowledge.route("/knowledge/")
@roles_required(*EDITORS)
def index():
    department = managed_department()
    if department is None:
        return _choose_department()
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    query_text = (request.args.get("q") or "").strip()[:100]
    statement = db.select(Answer).where(Answer.department_id == department.id)
    if status:
        statement = statement.where(Answer.status == status)
    if query_text:
        statement = statement.where(Answer.question.contains(query_text, autoescape=True))
    answers = db.paginate(statement.order_by(Answer.updated_at.desc()), page=request.args.get("page", 1, type=int),
                          per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "knowledge/index.html", department=department, answers=answers, status=status, query_text=query_text,
        statuses=STATUSES, feedback=service.feedback_counts([answer.id for answer in answers.items]),
        hotline_records=service.records_about(department),
        stale_count=db.session.scalar(db.select(db.func.count()).select_from(
            stale.stale_answers_query(department.id).subquery())),
        is_stale=stale.is_stale,
    )


@knowledge.route("/knowledge/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_answer():
    department = managed_department() or abort(404)
    return _edit_page(None, department)


@knowledge.route("/knowledge/<int:answer_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_answer(answer_id):
    answer = _answer_or_404(answer_id)
    return _edit_page(answer, answer.department)


def _edit_page(answer, department):
    if request.method == "GET":
        form = AnswerForm(formdata=None, data=service.form_data(answer) if answer else _draft_data())
        return _render_edit(answer, form, department)
    form = AnswerForm()
    adding = (request.form.get("add_matter") or "").strip()
    if adding:  # a suggested matter confirmed with one click: shown in the list, saved with the form
        data = form.data
        data["matters"] = list(dict.fromkeys([*(data.get("matters") or []), adding]))
        form = AnswerForm(formdata=None, data=data)
        return _render_edit(answer, form, department)
    if not form.validate():
        return _render_edit(answer, form, department), 400
    payload, problem = service.answer_payload(form)
    if problem:
        form.matters.errors = [problem]
        return _render_edit(answer, form, department), 400
    try:
        if answer is None:
            answer = workflow.create(Answer, payload, current_user, department.id)
            flash(_("已新建草稿。"), "success")
        elif workflow.save(answer, payload, current_user, form.lock_version.data):
            flash(_("已保存（第 %(version)s 版）。", version=answer.lock_version), "success")
        else:
            flash(_("没有改动，无需保存。"), "info")
    except workflow.StaleEdit as refused:
        return _render_edit(answer, form, department, refusal=refused.message), 409
    except workflow.WorkflowError as refused:
        return _render_edit(answer, form, department, refusal=refused.message), 403
    return redirect(url_for("knowledge.edit_answer", answer_id=answer.id))


def _draft_data():
    """A new answer's form: empty, or started from an imported hotline record (?from=<id>)."""
    record_id = request.args.get("from", type=int)
    record = db.session.get(Answer, record_id) if record_id else None
    if record is None or record.public:
        return None
    return service.draft_from_record(record)


def _render_edit(answer, form, department, refusal=None):
    linked = set(form.matters.data or [])
    return render_template(
        "knowledge/answer_form.html", entity=answer, form=form, department=department, refusal=refusal,
        kind=workflow.kind_named("answer"), can_save=answer is None or workflow.can_save(answer, current_user),
        actions=workflow.allowed_actions(answer, current_user) if answer is not None else [],
        transition_form=TransitionForm(formdata=None), review_form=ReviewForm(formdata=None),
        feedback=service.feedback_counts([answer.id]).get(answer.id) if answer else None,
        expired=answer is not None and stale.is_expired(answer),
        suggestions=service.suggested_matters(form.question.data, exclude=linked),
    )


@knowledge.route("/knowledge/stale")
@roles_required(*EDITORS)
def stale_list():
    department = managed_department()
    if department is None:
        return _choose_department()
    answers = db.session.scalars(stale.stale_answers_query(department.id).limit(200)).all()
    return render_template("knowledge/stale.html", department=department, answers=answers,
                           is_expired=stale.is_expired,
                           review_form=ReviewForm(formdata=None),
                           feedback=service.feedback_counts([answer.id for answer in answers]))


@knowledge.route("/knowledge/<int:answer_id>/reviewed", methods=["POST"])
@roles_required(*EDITORS)
def mark_reviewed(answer_id):
    answer = _answer_or_404(answer_id)
    if not ReviewForm().validate():
        abort(400)
    try:
        changed = stale.mark_reviewed(answer, current_user)
    except workflow.WorkflowError as refused:
        flash(refused.message, "error")
    else:
        flash(_("已标记为复核完成。") if changed else _("此问答无需复核。"), "success")
    if request.form.get("back") == "stale":
        return redirect(url_for("knowledge.stale_list"))
    return redirect(url_for("knowledge.edit_answer", answer_id=answer.id))


@knowledge.route("/answers")
@public
def faq():
    query_text = (request.args.get("q") or "").strip()[:100]
    page = page_of(request.args.get("page"))
    if query_text:
        results = find(make_params(query_text, kind="answer", page=page, size=20, hints=False), channel="faq")
        return render_template("knowledge/faq.html", query_text=query_text, results=results, page=page)
    page_cache.share()  # a search (q) follows the search index instead: not shared here
    category = (request.args.get("category") or "").strip()[:200]
    # Curated items only (imported replies stay internal until an editor publishes them), newest
    # reply first.
    statement = db.select(Answer).where(Answer.status == STATUS_PUBLISHED, Answer.public.is_(True))
    if category:
        statement = statement.where(Answer.category.startswith(category, autoescape=True))
    dated = db.func.coalesce(Answer.replied_at, Answer.published_at)
    answers = db.paginate(statement.order_by(dated.desc(), Answer.id), page=page, per_page=20, error_out=False)
    return render_template("knowledge/faq.html", query_text="", answers=answers, page=page, category=category,
                           categories=service.faq_categories())


@knowledge.route("/answers/<int:answer_id>")
@public
def faq_answer(answer_id):
    answer = service.published_answer_or_none(answer_id) or abort(404)
    page_cache.share()
    return render_template("knowledge/faq_answer.html", answer=answer)
